using LeadScoring.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Storage;

/// <summary>A lead's stored state as a read finds it: the serialized state, its version and how many activity rows it has.</summary>
public sealed record StoredLeadRow(byte[] Payload, int Version, int ActivityRows);

/// <summary>
/// The reads of leads that activate go through one queue, as their writes do (<see cref="LeadWrites"/>): the leads
/// activating at the same moment are read by one statement. An import or a batch of cold leads activates
/// thousands at once, and a round trip and two statements per lead were most of the silo's and PostgreSQL's CPU
/// there (docs/performance.md, "Import").
/// </summary>
public sealed class LeadReads : IAsyncDisposable
{
    private const int MaxBatch = 500;

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitQueue<(string Workspace, string LeadId), StoredLeadRow?> _queue;

    public LeadReads(NpgsqlDataSource database, ILogger<LeadReads> logger)
    {
        _database = database;
        _queue = new GroupCommitQueue<(string, string), StoredLeadRow?>(Read, MaxBatch, logger, "lead reads");
    }

    /// <summary>The lead's stored state, or null when it has none.</summary>
    public Task<StoredLeadRow?> ReadAsync(string workspace, string leadId) => _queue.EnqueueAsync((workspace, leadId));

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private async Task<StoredLeadRow?[]> Read(IReadOnlyList<(string Workspace, string LeadId)> batch)
    {
        await using var command = _database.CreateCommand("""
            SELECT t.n, s.payload, s.version,
                   (SELECT count(*) FROM lead_activity a WHERE a.workspace = t.w AND a.lead_id = t.l)
              FROM unnest($1, $2, $3) AS t(n, w, l)
              JOIN lead_state s ON s.workspace = t.w AND s.lead_id = t.l
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, batch.Count).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.Workspace).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.LeadId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var results = new StoredLeadRow?[batch.Count];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            results[reader.GetInt32(0)] = new StoredLeadRow(reader.GetFieldValue<byte[]>(1), reader.GetInt32(2), (int)reader.GetInt64(3));
        }

        return results;
    }
}
