using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Storage;

/// <summary>
/// Everything the silo's leads write when they change (state rows in lead_state, score history rows in
/// score_history) goes through this one group commit: a lead that takes an activity queues both at once, so
/// both usually land in the same transaction, sent as one batch of statements (a commit that starts between
/// the two takes the first alone; each write is still durable before its lead is answered). Two separate queues cost two commits,
/// two round trips and twice the per-statement work in PostgreSQL for every batch, and under load the batches
/// are small (a handful of leads each), so that overhead was most of PostgreSQL's CPU.
/// </summary>
public sealed class LeadWrites : IAsyncDisposable
{
    /// <summary>The version a state write gets when the row changed since the grain read it.</summary>
    public const int Conflict = -1;

    private const int MaxBatch = 1000;

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitQueue<LeadWrite, int> _queue;

    public LeadWrites(NpgsqlDataSource database, ILogger<LeadWrites> logger)
    {
        _database = database;
        _queue = new GroupCommitQueue<LeadWrite, int>(Commit, MaxBatch, logger, "lead writes");
    }

    /// <summary>Completes with the row's new version, or <see cref="Conflict"/>, once committed.</summary>
    public Task<int> WriteStateAsync(string workspace, string leadId, byte[] payload, int? expectedVersion) =>
        _queue.EnqueueAsync(new StateWrite(workspace, leadId, payload, expectedVersion));

    /// <summary>
    /// Completes once the entry is committed. <paramref name="historyFull"/>: the lead already holds
    /// <see cref="LeadLimits.ScoreHistory"/> entries, so its oldest go in the same transaction.
    /// </summary>
    public Task AppendHistoryAsync(string workspace, string leadId, ScoreHistoryEntry entry, bool historyFull) =>
        _queue.EnqueueAsync(new HistoryAppend(workspace, leadId, entry, historyFull));

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private async Task<int[]> Commit(IReadOnlyList<LeadWrite> batch)
    {
        var results = new int[batch.Count];
        var states = new List<int>();
        var appends = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            (batch[i] is StateWrite ? states : appends).Add(i);
        }

        // A lead can appear twice among the state writes only if two activations raced: its later write goes
        // in a later round of the same transaction and, if the first won, sees the conflict it should.
        var rounds = new List<List<int>>();
        while (states.Count > 0)
        {
            var round = new List<int>(states.Count);
            var later = new List<int>();
            var inRound = new HashSet<(string, string)>();
            foreach (var i in states)
            {
                var write = batch[i];
                (inRound.Add((write.Workspace, write.LeadId)) ? round : later).Add(i);
            }

            rounds.Add(round);
            states = later;
        }

        await using var connection = await _database.OpenConnectionAsync();
        // A transaction only when it takes more than one round trip; a batch of statements is one implicit transaction.
        await using var transaction = rounds.Count > 1 ? await connection.BeginTransactionAsync() : null;
        for (var r = 0; r < Math.Max(1, rounds.Count); r++)
        {
            await using var statements = new NpgsqlBatch(connection, transaction);
            if (r < rounds.Count)
            {
                statements.BatchCommands.Add(StateStatement(batch, rounds[r]));
            }

            if (r == 0 && appends.Count > 0)
            {
                AddHistoryStatements(statements, batch, appends);
            }

            if (statements.BatchCommands.Count == 0)
            {
                continue;
            }

            await using var reader = await statements.ExecuteReaderAsync();
            if (r < rounds.Count)
            {
                var round = rounds[r];
                foreach (var i in round)
                {
                    results[i] = Conflict;
                }

                while (await reader.ReadAsync())
                {
                    results[round[reader.GetInt32(0)]] = reader.GetInt32(1);
                }
            }
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync();
        }

        return results;
    }

    /// <summary>Updates where the presented version still matches, inserts where the lead had never been written (and nobody else wrote it first).</summary>
    private static NpgsqlBatchCommand StateStatement(IReadOnlyList<LeadWrite> batch, List<int> round)
    {
        var writes = round.ConvertAll(i => (StateWrite)batch[i]);
        var command = new NpgsqlBatchCommand("""
            WITH input AS (
                SELECT * FROM unnest($1, $2, $3, $4, $5) AS t(n, w, l, payload, expected)),
            updated AS (
                UPDATE lead_state s SET payload = i.payload, version = s.version + 1, modified_on = now()
                  FROM input i
                 WHERE i.expected IS NOT NULL AND s.workspace = i.w AND s.lead_id = i.l AND s.version = i.expected
                RETURNING i.n, s.version),
            inserted AS (
                INSERT INTO lead_state (workspace, lead_id, payload, version)
                SELECT w, l, payload, 1 FROM input WHERE expected IS NULL
                ON CONFLICT DO NOTHING
                RETURNING workspace, lead_id, version)
            SELECT n, version FROM updated
            UNION ALL
            SELECT i.n, x.version FROM inserted x JOIN input i ON i.w = x.workspace AND i.l = x.lead_id AND i.expected IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, writes.Count).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = writes.ConvertAll(w => w.Workspace).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = writes.ConvertAll(w => w.LeadId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = writes.ConvertAll(w => w.Payload).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = writes.ConvertAll(w => w.ExpectedVersion).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        return command;
    }

    /// <summary>The inserts; and, only when some lead's history was already full, the trim of its oldest entries.</summary>
    private static void AddHistoryStatements(NpgsqlBatch statements, IReadOnlyList<LeadWrite> batch, List<int> indexes)
    {
        var appends = indexes.ConvertAll(i => (HistoryAppend)batch[i]);
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO score_history (workspace, lead_id, scored_at, overall_score, conversion_probability, grade, model_version, trigger)
            SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.Workspace).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.LeadId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.Entry.ScoredAt.UtcDateTime).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.Entry.OverallScore).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.Entry.ConversionProbability).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.Entry.Grade).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.Entry.ModelVersion).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.Entry.Trigger.ToString()).ToArray() });
        statements.BatchCommands.Add(insert);

        var full = appends.FindAll(a => a.HistoryFull);
        if (full.Count == 0)
        {
            return;
        }

        var trim = new NpgsqlBatchCommand("""
            DELETE FROM score_history h
             USING (SELECT DISTINCT w, l FROM unnest($1, $2) AS t(w, l)) touched
             WHERE h.workspace = touched.w AND h.lead_id = touched.l
               AND h.id <= (SELECT id FROM score_history x WHERE x.workspace = touched.w AND x.lead_id = touched.l
                             ORDER BY id DESC OFFSET $3 LIMIT 1)
            """);
        trim.Parameters.Add(new NpgsqlParameter { Value = full.ConvertAll(a => a.Workspace).ToArray() });
        trim.Parameters.Add(new NpgsqlParameter { Value = full.ConvertAll(a => a.LeadId).ToArray() });
        trim.Parameters.Add(new NpgsqlParameter { Value = LeadLimits.ScoreHistory });
        statements.BatchCommands.Add(trim);
    }

    private abstract record LeadWrite(string Workspace, string LeadId);

    private sealed record StateWrite(string Workspace, string LeadId, byte[] Payload, int? ExpectedVersion) : LeadWrite(Workspace, LeadId);

    private sealed record HistoryAppend(string Workspace, string LeadId, ScoreHistoryEntry Entry, bool HistoryFull) : LeadWrite(Workspace, LeadId);
}
