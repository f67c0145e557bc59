using System.Text;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Index;

/// <summary>PostgreSQL mode: lead_index, its replaced lines and its progress (migration 0021).</summary>
public sealed class PostgresLeadIndexStore(NpgsqlDataSource database) : ILeadIndexStore
{
    private const string Columns = """
        lead_id, overall_score, probability, grade, trend, model_version, scored_at, created_at, updated_at, profiling_consent,
        marketing_consent, converted, attributes::text
        """;

    public async Task<(long IndexedThrough, DateTimeOffset? PagingUntil)> ProgressAsync(string workspace)
    {
        await using var command = database.CreateCommand("SELECT indexed_through, paging_until FROM lead_index_progress WHERE workspace = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1))
            : (0, null);
    }

    public async Task SetPagingUntilAsync(string workspace, DateTimeOffset until)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO lead_index_progress (workspace, paging_until) VALUES ($1, $2)
            ON CONFLICT (workspace) DO UPDATE SET paging_until = greatest(lead_index_progress.paging_until, excluded.paging_until)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = until.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public async Task ApplyAsync(string workspace, IReadOnlyList<LeadIndexEntry> lines, IReadOnlyList<string> gone, long? indexedThrough, bool keepReplaced)
    {
        await using var batch = database.CreateBatch();
        if (lines.Count > 0)
        {
            // Lines only for leads that still exist. An erasure racing this write can leave the line it deleted written
            // again for a moment; its lead.erased event, which the index takes next, deletes it for good.
            var write = new NpgsqlBatchCommand("""
                WITH incoming AS (
                    SELECT * FROM unnest($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                           AS t(lead_id, overall_score, probability, grade, trend, model_version, scored_at, created_at, updated_at,
                                profiling_consent, marketing_consent, converted, attributes)
                     WHERE EXISTS (SELECT 1 FROM lead_state s WHERE s.workspace = $1 AND s.lead_id = t.lead_id)),
                position AS (SELECT nextval('lead_index_position') AS p),
                replaced AS (
                    INSERT INTO lead_index_replaced
                    SELECT li.*, position.p FROM lead_index li JOIN incoming i ON li.workspace = $1 AND li.lead_id = i.lead_id, position
                     WHERE $15)
                INSERT INTO lead_index (workspace, lead_id, overall_score, probability, grade, trend, model_version, scored_at, created_at,
                                       updated_at, profiling_consent, marketing_consent, converted, attributes, position)
                SELECT $1, i.lead_id, i.overall_score, i.probability, i.grade, i.trend, i.model_version, i.scored_at, i.created_at,
                       i.updated_at, i.profiling_consent, i.marketing_consent, i.converted, i.attributes::jsonb, position.p
                  FROM incoming i, position
                ON CONFLICT (workspace, lead_id) DO UPDATE
                   SET overall_score = excluded.overall_score, probability = excluded.probability, grade = excluded.grade,
                       trend = excluded.trend, model_version = excluded.model_version, scored_at = excluded.scored_at,
                       created_at = excluded.created_at, updated_at = excluded.updated_at, profiling_consent = excluded.profiling_consent,
                       marketing_consent = excluded.marketing_consent, converted = excluded.converted, attributes = excluded.attributes,
                       position = excluded.position
                """);
            var p = write.Parameters;
            p.Add(new NpgsqlParameter { Value = workspace });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.LeadId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.OverallScore).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.ConversionProbability).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.Grade).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.Trend is { } t ? LeadIndexText.Trend(t) : null).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.ModelVersion).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.ScoredAt?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.CreatedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.UpdatedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.ProfilingConsent).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.MarketingConsent).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => l.Converted).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
            p.Add(new NpgsqlParameter { Value = lines.Select(l => JsonSerializer.Serialize(l.Attributes)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter { Value = keepReplaced });
            batch.BatchCommands.Add(write);
        }

        if (gone.Count > 0)
        {
            var delete = new NpgsqlBatchCommand("DELETE FROM lead_index WHERE workspace = $1 AND lead_id = ANY($2)");
            delete.Parameters.Add(new NpgsqlParameter { Value = workspace });
            delete.Parameters.Add(new NpgsqlParameter { Value = gone.ToArray() });
            batch.BatchCommands.Add(delete);
        }

        if (indexedThrough is { } through)
        {
            var progress = new NpgsqlBatchCommand("""
                INSERT INTO lead_index_progress (workspace, indexed_through) VALUES ($1, $2)
                ON CONFLICT (workspace) DO UPDATE SET indexed_through = excluded.indexed_through
                """);
            progress.Parameters.Add(new NpgsqlParameter { Value = workspace });
            progress.Parameters.Add(new NpgsqlParameter { Value = through });
            batch.BatchCommands.Add(progress);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync();
        }
    }

    public async Task<long> PositionAsync()
    {
        await using var command = database.CreateCommand("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM lead_index_position");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<IReadOnlyList<LeadIndexEntry>> QueryAsync(string workspace, LeadIndexQuery query, long asOf)
    {
        var key = query.Sort switch
        {
            LeadIndexSortField.Score => "coalesce(overall_score, -1)",
            LeadIndexSortField.UpdatedAt => "updated_at",
            _ => null,
        };
        var direction = query.Descending ? "DESC" : "ASC";
        var order = key is null ? $"lead_id {direction}" : $"{key} {direction}, lead_id {direction}";
        var command = database.CreateCommand();
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { Value = workspace });
        p.Add(new NpgsqlParameter { Value = asOf });
        p.Add(new NpgsqlParameter { Value = query.Limit + 1 });
        var filters = new StringBuilder();
        if (query.Grades is { } grades)
        {
            p.Add(new NpgsqlParameter { Value = grades.ToArray() });
            filters.Append($" AND grade = ANY(${p.Count})");
        }

        if (query.MinScore is { } min)
        {
            p.Add(new NpgsqlParameter { Value = min });
            filters.Append($" AND overall_score >= ${p.Count}");
        }

        if (query.MaxScore is { } max)
        {
            p.Add(new NpgsqlParameter { Value = max });
            filters.Append($" AND overall_score <= ${p.Count}");
        }

        if (query.Trend is { } trend)
        {
            p.Add(new NpgsqlParameter { Value = LeadIndexText.Trend(trend) });
            filters.Append($" AND trend = ${p.Count}");
        }

        if (query.ScoredSince is { } since)
        {
            p.Add(new NpgsqlParameter { Value = since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            filters.Append($" AND scored_at >= ${p.Count}");
        }

        if (query.Attributes.Count > 0)
        {
            p.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(query.Attributes), NpgsqlDbType = NpgsqlDbType.Jsonb });
            filters.Append($" AND attributes @> ${p.Count}");
        }

        if (query.After is { } after)
        {
            var comparison = query.Descending ? "<" : ">";
            p.Add(new NpgsqlParameter { Value = after.LeadId });
            var id = p.Count;
            switch (query.Sort)
            {
                case LeadIndexSortField.Score:
                    p.Add(new NpgsqlParameter { Value = after.Score ?? -1 });
                    filters.Append($" AND ({key}, lead_id) {comparison} (${p.Count}, ${id})");
                    break;
                case LeadIndexSortField.UpdatedAt:
                    p.Add(new NpgsqlParameter { Value = after.UpdatedAt!.Value.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                    filters.Append($" AND ({key}, lead_id) {comparison} (${p.Count}, ${id})");
                    break;
                default:
                    filters.Append($" AND lead_id {comparison} ${id}");
                    break;
            }
        }

        command.CommandText = $"""
            SELECT {Columns} FROM (
                (SELECT {Columns}, {key ?? "0"} AS sort_key FROM lead_index
                  WHERE workspace = $1 AND position <= $2{filters} ORDER BY {order} LIMIT $3)
                UNION ALL
                (SELECT {Columns}, {key ?? "0"} AS sort_key FROM lead_index_replaced
                  WHERE workspace = $1 AND position <= $2 AND replaced_at_position > $2{filters} ORDER BY {order} LIMIT $3)
            ) x ORDER BY {(key is null ? "" : $"sort_key {direction}, ")}lead_id {direction} LIMIT $3
            """;
        await using (command)
        {
            var lines = new List<LeadIndexEntry>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(Read(reader));
            }

            return lines;
        }
    }

    public async Task<LeadIndexSummary> SummaryAsync(string workspace)
    {
        await using var command = database.CreateCommand("""
            SELECT grade, least(floor(overall_score / 10), 9)::int, converted, count(*)
              FROM lead_index WHERE workspace = $1 GROUP BY 1, 2, 3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        var counts = new List<(string? Grade, int? Bucket, bool? Converted, long Count)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts.Add((reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetBoolean(2), reader.GetInt64(3)));
        }

        return LeadIndexText.Summary(counts);
    }

    public async Task ForgetReplacedAsync(string workspace, DateTimeOffset before)
    {
        await using var command = database.CreateCommand("DELETE FROM lead_index_replaced WHERE workspace = $1 AND replaced_at < $2");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = before.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<string>> StoredLeadIdsAsync(string workspace, string? after, int limit)
    {
        await using var command = database.CreateCommand(
            "SELECT lead_id FROM lead_state WHERE workspace = $1 AND lead_id > $2 ORDER BY lead_id LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = after ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static LeadIndexEntry Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.IsDBNull(1) ? null : r.GetDouble(1), r.IsDBNull(2) ? null : r.GetDouble(2), r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? null : LeadIndexText.TrendOf(r.GetString(4)), r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7), r.GetFieldValue<DateTimeOffset>(8),
        r.GetBoolean(9), r.GetBoolean(10), r.IsDBNull(11) ? null : r.GetBoolean(11),
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(12))!);
}
