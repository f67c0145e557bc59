using System.Collections.Concurrent;
using LeadScoring.Common;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Api.Audit;

/// <summary>The append-only audit trail of API calls.</summary>
public interface IAuditLog
{
    /// <summary>Completes once the entry is durable; the audited call is answered only after that.</summary>
    Task RecordAsync(AuditEntry entry);

    Task<IReadOnlyList<StoredAuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>Memory mode: the trail lives as long as the API process.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly ConcurrentQueue<StoredAuditEntry> _entries = new();
    private long _lastId;

    public Task RecordAsync(AuditEntry entry)
    {
        _entries.Enqueue(new StoredAuditEntry(Interlocked.Increment(ref _lastId), entry));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredAuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredAuditEntry>>(
        [
            .. _entries.Reverse()
                .Where(e => e.Entry.Workspace == query.Workspace
                    && (query.Before is null || e.Id < query.Before)
                    && (query.From is null || e.Entry.At >= query.From)
                    && (query.To is null || e.Entry.At < query.To)
                    && (query.Action is null || e.Entry.Action == query.Action)
                    && (query.Subject is null || e.Entry.Subject == query.Subject)
                    && (query.Target is null || e.Entry.Target == query.Target))
                .Take(query.Limit),
        ]);
}

/// <summary>
/// PostgreSQL mode: table audit_log (append-only, see migration 0009). Concurrent calls' entries are
/// group-committed, so auditing every ingested activity costs a share of one multi-row insert, not a
/// transaction each.
/// </summary>
/// <remarks>
/// The audit's transactions commit without waiting for their WAL flush (synchronous_commit off, on this
/// log's own connections only). The audited change was itself committed durably just before, and the
/// entry is flushed by the next durable commit of anything (under load, within milliseconds) or by the WAL
/// writer (within about 0.6 s when idle): waiting for a second flush would double the latency of every write
/// and, with callers that wait for their answer, halve the throughput. What a server crash can lose is the
/// entries of that last fraction of a second; a committed entry is never half-written or changed.
/// </remarks>
public sealed class PostgresAuditLog : IAuditLog, IAsyncDisposable
{
    private const int MaxBatch = 1000;

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitQueue<AuditEntry, bool> _appends;

    public PostgresAuditLog(string connectionString, ILogger<PostgresAuditLog> logger)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnections.Tuned(connectionString, PostgresConnections.ApiAudit));
        builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        _database = NpgsqlDataSource.Create(builder);
        _appends = new GroupCommitQueue<AuditEntry, bool>(Write, MaxBatch, logger, "audit entries");
    }

    public Task RecordAsync(AuditEntry entry) => _appends.EnqueueAsync(entry);

    public async Task<IReadOnlyList<StoredAuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("""
            SELECT id, at, workspace, subject, role, action, target, outcome, status, request_id, client_address
            FROM audit_log
            WHERE workspace = $1
              AND ($2::bigint IS NULL OR id < $2)
              AND ($3::timestamptz IS NULL OR at >= $3)
              AND ($4::timestamptz IS NULL OR at < $4)
              AND ($5::text IS NULL OR action = $5)
              AND ($6::text IS NULL OR subject = $6)
              AND ($7::text IS NULL OR target = $7)
            ORDER BY id DESC
            LIMIT $8
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = query.Workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Before ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.From ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.To ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Action ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Subject ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Target ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });

        var entries = new List<StoredAuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new StoredAuditEntry(reader.GetInt64(0), new AuditEntry(
                reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7), reader.GetInt32(8),
                reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10))));
        }

        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        await _appends.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<bool[]> Write(IReadOnlyList<AuditEntry> batch)
    {
        // One statement for the whole batch: column arrays unnested into rows.
        await using var command = _database.CreateCommand("""
            INSERT INTO audit_log (at, workspace, subject, role, action, target, outcome, status, request_id, client_address)
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                 $7::text[], $8::integer[], $9::text[], $10::text[])
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.At).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Workspace).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Subject).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Role).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Action).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Target).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Outcome).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Status).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.RequestId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.ClientAddress).ToArray() });
        await command.ExecuteNonQueryAsync();
        return new bool[batch.Count];
    }
}
