using LeadScoring.Common;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Models;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Storage;

/// <summary>
/// Everything the silo's leads write when they change (state rows in lead_state, score history rows in
/// score_history, activity rows, training snapshots, the outbox's events) goes through this one group commit. A lead that rescores after a change writes its state
/// with its history entry as one item: the entry is inserted by the statement that writes the state, only if
/// that write succeeds, so a lead's state and the entry of the score it holds commit together or not at all.
/// Entries without a state write (a rescore on read) and state writes without an entry share the same batches.
/// Two separate queues cost two commits, two round trips and twice the per-statement work in PostgreSQL for
/// every batch, and under load the batches are small, so that overhead was most of PostgreSQL's CPU
/// (docs/performance.md, "Persistence").
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

    /// <summary>
    /// Completes with the row's new version, or <see cref="Conflict"/>, once committed. With an
    /// <paramref name="entry"/> the lead's history gets it in the same statement, unless the write conflicts;
    /// <paramref name="trimHistory"/> as for <see cref="AppendHistoryAsync"/>. The <paramref name="activities"/>
    /// the lead took since its last write become its rows in lead_activity in the same statement, unless the
    /// write conflicts; <paramref name="trimActivities"/>: they bring the lead's rows to
    /// <see cref="LeadLimits.StoredRecentActivities"/>, so all but its newest <see cref="LeadLimits.RecentActivities"/> go.
    /// The <paramref name="idChunks"/> of remembered activity ids become rows of lead_activity_ids, and the lead's
    /// chunks numbered below <paramref name="forgetIdChunksBelow"/> go, in the same statement, unless the write conflicts.
    /// The <paramref name="snapshot"/> replaces the lead's row in training_snapshots in the same statement, unless the
    /// write conflicts: an outcome and the snapshot it makes are stored together or not at all. The
    /// <paramref name="events"/> go into the outbox in the same statement, unless the write conflicts.
    /// </summary>
    public Task<int> WriteStateAsync(
        string workspace, string leadId, byte[] payload, int? expectedVersion, ScoreHistoryEntry? entry = null, bool trimHistory = false,
        IReadOnlyList<ActivityRow>? activities = null, bool trimActivities = false, IReadOnlyList<ActivityIdChunk>? idChunks = null,
        int forgetIdChunksBelow = 0, TrainingSnapshot? snapshot = null, IReadOnlyList<WorkspaceEvent>? events = null) =>
        _queue.EnqueueAsync(new StateWrite(
            workspace, leadId, payload, expectedVersion, entry, trimHistory, activities ?? [], trimActivities, idChunks ?? [], forgetIdChunksBelow,
            snapshot, events ?? []));

    /// <summary>
    /// Completes once the entry is committed. <paramref name="trimHistory"/>: the lead's entries reach
    /// <see cref="LeadLimits.StoredScoreHistory"/> with this one, so all but its newest
    /// <see cref="LeadLimits.ScoreHistory"/> go in the same transaction. The entry's <paramref name="events"/> go into
    /// the outbox in the same transaction.
    /// </summary>
    public Task AppendHistoryAsync(string workspace, string leadId, ScoreHistoryEntry entry, bool trimHistory, IReadOnlyList<WorkspaceEvent> events) =>
        _queue.EnqueueAsync(new HistoryAppend(workspace, leadId, entry, trimHistory, events));

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
                var appended = appends.ConvertAll(i => (HistoryAppend)batch[i]);
                statements.BatchCommands.Add(HistoryInsert(appended));
                if (appended.SelectMany(a => a.Events).ToList() is { Count: > 0 } events)
                {
                    var insert = new NpgsqlBatchCommand(PostgresEventOutbox.Insert);
                    PostgresEventOutbox.AddColumns(insert.Parameters, events);
                    statements.BatchCommands.Add(insert);
                }
            }

            // Trimmed after every insert of the batch (the last round's statements see all of them).
            if (r == Math.Max(1, rounds.Count) - 1)
            {
                if (TrimStatement(batch) is { } trim)
                {
                    statements.BatchCommands.Add(trim);
                }

                if (ActivityTrimStatement(batch) is { } activityTrim)
                {
                    statements.BatchCommands.Add(activityTrim);
                }
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

    /// <summary>
    /// Updates where the presented version still matches, inserts where the lead had never been written (and
    /// nobody else wrote it first), and inserts the history entries of the writes that succeeded.
    /// </summary>
    private static NpgsqlBatchCommand StateStatement(IReadOnlyList<LeadWrite> batch, List<int> round)
    {
        var writes = round.ConvertAll(i => (StateWrite)batch[i]);
        var withEntries = Enumerable.Range(0, writes.Count).Where(n => writes[n].Entry is not null).ToList();
        var entries = withEntries.ConvertAll(n => writes[n].Entry!);
        var activities = Enumerable.Range(0, writes.Count).SelectMany(n => writes[n].Activities.Select(a => (N: n, Row: a))).ToList();
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
                RETURNING workspace, lead_id, version),
            written AS (
                SELECT n, version FROM updated
                UNION ALL
                SELECT i.n, x.version FROM inserted x JOIN input i ON i.w = x.workspace AND i.l = x.lead_id AND i.expected IS NULL),
            history AS (
                INSERT INTO score_history (workspace, lead_id, scored_at, overall_score, conversion_probability, grade, model_version, trigger)
                SELECT i.w, i.l, h.scored_at, h.overall_score, h.conversion_probability, h.grade, h.model_version, h.trigger
                  FROM unnest($6, $7, $8, $9, $10, $11, $12)
                       AS h(n, scored_at, overall_score, conversion_probability, grade, model_version, trigger)
                  JOIN written ok ON ok.n = h.n
                  JOIN input i ON i.n = h.n),
            activities AS (
                INSERT INTO lead_activity (workspace, lead_id, received, occurred_at, payload)
                SELECT i.w, i.l, a.received, a.occurred_at, a.payload
                  FROM unnest($13, $14, $15, $16) AS a(n, received, occurred_at, payload)
                  JOIN written ok ON ok.n = a.n
                  JOIN input i ON i.n = a.n
                ON CONFLICT DO NOTHING),
            id_chunks AS (
                INSERT INTO lead_activity_ids (workspace, lead_id, chunk, hashes)
                SELECT i.w, i.l, c.chunk, c.hashes
                  FROM unnest($17, $18, $19) AS c(n, chunk, hashes)
                  JOIN written ok ON ok.n = c.n
                  JOIN input i ON i.n = c.n
                ON CONFLICT DO NOTHING),
            forgotten_ids AS (
                DELETE FROM lead_activity_ids d
                 USING unnest($20, $21) AS f(n, below)
                  JOIN written ok ON ok.n = f.n
                  JOIN input i ON i.n = f.n
                 WHERE d.workspace = i.w AND d.lead_id = i.l AND d.chunk < f.below),
            snapshots AS (
                INSERT INTO training_snapshots (workspace, lead_id, recorded_at, converted, deal_value, closed_at, attributes, features)
                SELECT i.w, i.l, t.recorded_at, t.converted, t.deal_value, t.closed_at, t.attributes::json, t.features::json
                  FROM unnest($22, $23, $24, $25, $26, $27, $28) AS t(n, recorded_at, converted, deal_value, closed_at, attributes, features)
                  JOIN written ok ON ok.n = t.n
                  JOIN input i ON i.n = t.n
                ON CONFLICT (workspace, lead_id) DO UPDATE
                   SET recorded_at = excluded.recorded_at, converted = excluded.converted, deal_value = excluded.deal_value,
                       closed_at = excluded.closed_at, attributes = excluded.attributes, features = excluded.features),
            events AS (
                INSERT INTO event_outbox (event_id, type, workspace, lead_id, occurred_at, data)
                SELECT e.id, e.type, i.w, i.l, e.occurred_at, e.data::json
                  FROM unnest($29, $30, $31, $32, $33) AS e(n, id, type, occurred_at, data)
                  JOIN written ok ON ok.n = e.n
                  JOIN input i ON i.n = e.n)
            SELECT n, version FROM written
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, writes.Count).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = writes.ConvertAll(w => w.Workspace).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = writes.ConvertAll(w => w.LeadId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = writes.ConvertAll(w => w.Payload).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = writes.ConvertAll(w => w.ExpectedVersion).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = withEntries.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        AddEntryColumns(command, entries);
        command.Parameters.Add(new NpgsqlParameter { Value = activities.ConvertAll(a => a.N).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = activities.ConvertAll(a => a.Row.Received).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = activities.ConvertAll(a => a.Row.OccurredAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = activities.ConvertAll(a => a.Row.Payload).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        var chunks = Enumerable.Range(0, writes.Count).SelectMany(n => writes[n].IdChunks.Select(c => (N: n, Chunk: c))).ToList();
        command.Parameters.Add(new NpgsqlParameter { Value = chunks.ConvertAll(c => c.N).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = chunks.ConvertAll(c => c.Chunk.Number).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = chunks.ConvertAll(c => IdChunkBytes.Of(c.Chunk.Hashes)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        var forgetting = Enumerable.Range(0, writes.Count).Where(n => writes[n].ForgetIdChunksBelow > 0).ToList();
        command.Parameters.Add(new NpgsqlParameter { Value = forgetting.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = forgetting.ConvertAll(n => writes[n].ForgetIdChunksBelow).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        var snapshotting = Enumerable.Range(0, writes.Count).Where(n => writes[n].Snapshot is not null).ToList();
        var snapshots = snapshotting.ConvertAll(n => writes[n].Snapshot!);
        command.Parameters.Add(new NpgsqlParameter { Value = snapshotting.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshots.ConvertAll(t => t.RecordedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshots.ConvertAll(t => t.Converted).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshots.ConvertAll(t => t.DealValue).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshots.ConvertAll(t => t.ClosedAt?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshots.ConvertAll(PostgresTrainingSnapshotStore.AttributesJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshots.ConvertAll(PostgresTrainingSnapshotStore.FeaturesJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var events = Enumerable.Range(0, writes.Count).SelectMany(n => writes[n].Events.Select(e => (N: n, Event: e))).ToList();
        command.Parameters.Add(new NpgsqlParameter { Value = events.ConvertAll(e => e.N).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = events.ConvertAll(e => e.Event.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.ConvertAll(e => e.Event.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.ConvertAll(e => e.Event.OccurredAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = events.ConvertAll(e => e.Event.Data).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }

    private static NpgsqlBatchCommand HistoryInsert(List<HistoryAppend> appends)
    {
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO score_history (workspace, lead_id, scored_at, overall_score, conversion_probability, grade, model_version, trigger)
            SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.Workspace).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = appends.ConvertAll(a => a.LeadId).ToArray() });
        AddEntryColumns(insert, appends.ConvertAll(a => a.Entry));
        return insert;
    }

    /// <summary>An entry's columns from scored_at on, one array parameter each, typed so that empty arrays work too.</summary>
    private static void AddEntryColumns(NpgsqlBatchCommand command, List<ScoreHistoryEntry> entries)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = entries.ConvertAll(e => e.ScoredAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.ConvertAll(e => e.OverallScore).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.ConvertAll(e => e.ConversionProbability).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.ConvertAll(e => e.Grade).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.ConvertAll(e => e.ModelVersion).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.ConvertAll(e => e.Trigger.ToString()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }

    /// <summary>
    /// For the leads whose history is due for trimming, the delete of all but their newest entries; null when
    /// none is. Keeping the newest is right whether or not a lead's own insert happened (its state write may have
    /// conflicted), so it needs no condition.
    /// </summary>
    private static NpgsqlBatchCommand? TrimStatement(IReadOnlyList<LeadWrite> batch) => TrimmingDelete("""
        DELETE FROM score_history h
         USING (SELECT DISTINCT w, l FROM unnest($1, $2) AS t(w, l)) touched
         WHERE h.workspace = touched.w AND h.lead_id = touched.l
           AND h.id <= (SELECT id FROM score_history x WHERE x.workspace = touched.w AND x.lead_id = touched.l
                         ORDER BY id DESC OFFSET $3 LIMIT 1)
        """, [.. batch.Where(w => w is HistoryAppend { TrimHistory: true } or StateWrite { Entry: not null, TrimHistory: true })], LeadLimits.ScoreHistory);

    /// <summary>
    /// For the leads whose activity rows are due for trimming, the delete of all but their newest
    /// <see cref="LeadLimits.RecentActivities"/> (in the order the lead keeps them: newest occurrence first, then in
    /// the order taken); null when none is. As for the history, this is right whether or not the lead's own write
    /// happened. Each lead's first row to go is found once (the lateral subquery), and every row ordered at or after
    /// it goes. A filter with a subquery per row (NOT IN the newest) was slow, and once prepared its generic plan
    /// scanned the whole table (docs/performance.md, "Figures behind the code").
    /// </summary>
    private static NpgsqlBatchCommand? ActivityTrimStatement(IReadOnlyList<LeadWrite> batch) =>
        TrimmingDelete(ActivityTrim, [.. batch.OfType<StateWrite>().Where(w => w.TrimActivities)], LeadLimits.RecentActivities);

    /// <summary>The delete of <see cref="ActivityTrimStatement"/> (tests check its plan).</summary>
    internal const string ActivityTrim = """
        DELETE FROM lead_activity a
         USING (SELECT DISTINCT w, l FROM unnest($1, $2) AS t(w, l)) touched,
               LATERAL (SELECT x.occurred_at, x.received FROM lead_activity x
                         WHERE x.workspace = touched.w AND x.lead_id = touched.l
                         ORDER BY x.occurred_at DESC, x.received OFFSET $3 LIMIT 1) first_gone
         WHERE a.workspace = touched.w AND a.lead_id = touched.l
           AND (a.occurred_at, -a.received) <= (first_gone.occurred_at, -first_gone.received)
        """;

    /// <summary>The <paramref name="delete"/> ($1, $2: the due leads' keys; $3: the rows each keeps), or null when no lead is due.</summary>
    private static NpgsqlBatchCommand? TrimmingDelete(string delete, List<LeadWrite> due, int kept)
    {
        if (due.Count == 0)
        {
            return null;
        }

        var trim = new NpgsqlBatchCommand(delete);
        trim.Parameters.Add(new NpgsqlParameter { Value = due.ConvertAll(w => w.Workspace).ToArray() });
        trim.Parameters.Add(new NpgsqlParameter { Value = due.ConvertAll(w => w.LeadId).ToArray() });
        trim.Parameters.Add(new NpgsqlParameter { Value = kept });
        return trim;
    }

    private abstract record LeadWrite(string Workspace, string LeadId);

    private sealed record StateWrite(
        string Workspace, string LeadId, byte[] Payload, int? ExpectedVersion, ScoreHistoryEntry? Entry, bool TrimHistory,
        IReadOnlyList<ActivityRow> Activities, bool TrimActivities, IReadOnlyList<ActivityIdChunk> IdChunks, int ForgetIdChunksBelow,
        TrainingSnapshot? Snapshot, IReadOnlyList<WorkspaceEvent> Events)
        : LeadWrite(Workspace, LeadId);

    private sealed record HistoryAppend(string Workspace, string LeadId, ScoreHistoryEntry Entry, bool TrimHistory, IReadOnlyList<WorkspaceEvent> Events)
        : LeadWrite(Workspace, LeadId);
}

/// <summary>
/// One of a lead's activities as a row of lead_activity: <paramref name="Received"/> is the lead's activity count
/// when it took it, <paramref name="Payload"/> the serialized <c>RecentActivity</c>.
/// </summary>
public readonly record struct ActivityRow(long Received, DateTimeOffset OccurredAt, byte[] Payload);
