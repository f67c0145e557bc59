using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Events;

/// <summary>The outbox in PostgreSQL (event_outbox); <see cref="EventRelay"/> publishes it.</summary>
public sealed class PostgresEventOutbox(NpgsqlDataSource database) : IEventOutbox
{
    /// <summary>The insert of events into the outbox, from unnest of its parameters ($1 ids, $2 types, $3 workspaces, $4 lead ids, $5 times, $6 data).</summary>
    internal const string Insert = """
        INSERT INTO event_outbox (event_id, type, workspace, lead_id, occurred_at, data)
        SELECT e.id, e.type, e.workspace, e.lead_id, e.occurred_at, e.data::json
          FROM unnest($1, $2, $3, $4, $5, $6) AS e(id, type, workspace, lead_id, occurred_at, data)
        """;

    public async Task AppendAsync(IReadOnlyList<WorkspaceEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(Insert);
        AddColumns(command.Parameters, events);
        await using var connection = await database.OpenConnectionAsync();
        command.Connection = connection;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The six array parameters of <see cref="Insert"/>.</summary>
    internal static void AddColumns(NpgsqlParameterCollection parameters, IReadOnlyList<WorkspaceEvent> events)
    {
        parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Workspace).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.LeadId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.OccurredAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Data).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }

    public Task ForgetLeadAsync(string workspace, string leadId) => LeadRows.DeleteAsync(database, "event_outbox", workspace, leadId);

    public async Task<EventPage> ReadAsync(string workspace, long afterPosition, int limit)
    {
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM event_outbox
             WHERE workspace = $1 AND position > $2 ORDER BY position LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = afterPosition });
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var events = new List<WorkspaceEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(Read(reader));
        }

        var complete = events.Count <= limit;
        return new EventPage(complete ? events : events[..limit], complete);
    }

    public async Task<WorkspaceEvent?> FindAsync(string workspace, string eventId)
    {
        await using var command = database.CreateCommand(
            $"SELECT {Columns} FROM event_outbox WHERE workspace = $1 AND event_id = $2 AND position IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<long?> PositionOfAsync(string workspace, string eventId) => (await FindAsync(workspace, eventId))?.Position;

    public async Task<long> PositionBeforeAsync(string workspace, DateTimeOffset since)
    {
        await using var command = database.CreateCommand("""
            SELECT coalesce(min(position) - 1, (SELECT coalesce(max(position), 0) FROM event_outbox WHERE position IS NOT NULL))
              FROM event_outbox WHERE workspace = $1 AND position IS NOT NULL AND occurred_at >= $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
    internal const string Columns = "event_id, type, workspace, lead_id, occurred_at, data::text, position";

    /// <summary>An event from <see cref="Columns"/>, which start at <paramref name="offset"/>.</summary>
    internal static WorkspaceEvent Read(NpgsqlDataReader reader, int offset = 0) =>
        new(reader.GetString(offset), reader.GetString(offset + 1), reader.GetString(offset + 2), reader.GetFieldValue<DateTimeOffset>(offset + 4),
            reader.IsDBNull(offset + 3) ? null : reader.GetString(offset + 3), reader.GetString(offset + 5))
        {
            Position = reader.IsDBNull(offset + 6) ? 0 : reader.GetInt64(offset + 6),
        };
}
