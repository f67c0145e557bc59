using System.Collections.Concurrent;
using System.Threading.Channels;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadScoring.Grains.Scoring;

/// <summary>Each lead's recent scores, at most <see cref="LeadLimits.ScoreHistory"/> per lead.</summary>
public interface IScoreHistoryStore
{
    /// <summary>Returns once the entry is durable.</summary>
    Task AppendAsync(string workspace, string leadId, ScoreHistoryEntry entry);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ScoreHistoryEntry>> ListAsync(string workspace, string leadId);
}

/// <summary>Memory mode: the history lives as long as the silo.</summary>
public sealed class InMemoryScoreHistoryStore : IScoreHistoryStore
{
    private readonly ConcurrentDictionary<(string, string), List<ScoreHistoryEntry>> _history = new();

    public Task AppendAsync(string workspace, string leadId, ScoreHistoryEntry entry)
    {
        var entries = _history.GetOrAdd((workspace, leadId), _ => []);
        lock (entries)
        {
            entries.Insert(0, entry);
            if (entries.Count > LeadLimits.ScoreHistory)
            {
                entries.RemoveAt(entries.Count - 1);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ScoreHistoryEntry>> ListAsync(string workspace, string leadId)
    {
        if (!_history.TryGetValue((workspace, leadId), out var entries))
        {
            return Task.FromResult<IReadOnlyList<ScoreHistoryEntry>>([]);
        }

        lock (entries)
        {
            return Task.FromResult<IReadOnlyList<ScoreHistoryEntry>>([.. entries]);
        }
    }
}

/// <summary>
/// PostgreSQL mode: table score_history. Appends from all the silo's leads are written together (group
/// commit): one statement and one transaction per batch, so thousands of rescoring leads per second cost a
/// few round trips, and each caller still returns only once its own row is committed.
/// </summary>
public sealed class PostgresScoreHistoryStore : IScoreHistoryStore, IAsyncDisposable
{
    public const int MaxBatch = 1000;

    private readonly NpgsqlDataSource _database;
    private readonly ILogger<PostgresScoreHistoryStore> _logger;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public PostgresScoreHistoryStore(NpgsqlDataSource database, ILogger<PostgresScoreHistoryStore> logger)
    {
        _database = database;
        _logger = logger;
        _writer = Task.Run(WriteBatches);
    }

    public Task AppendAsync(string workspace, string leadId, ScoreHistoryEntry entry)
    {
        var pending = new Pending(workspace, leadId, entry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _pending.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromException(new ObjectDisposedException(nameof(PostgresScoreHistoryStore)));
    }

    public async Task<IReadOnlyList<ScoreHistoryEntry>> ListAsync(string workspace, string leadId)
    {
        await using var command = _database.CreateCommand("""
            SELECT scored_at, overall_score, conversion_probability, grade, model_version, trigger
              FROM score_history WHERE workspace = @w AND lead_id = @l ORDER BY id DESC LIMIT @n
            """);
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("l", leadId);
        command.Parameters.AddWithValue("n", LeadLimits.ScoreHistory);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<ScoreHistoryEntry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new ScoreHistoryEntry(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetString(3), reader.GetString(4),
                Enum.Parse<ScoreTrigger>(reader.GetString(5))));
        }

        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteBatches()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await Write(batch);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Writing {Count} score history entries failed", batch.Count);
                batch.ForEach(p => p.Done.TrySetException(e));
            }

            batch.Clear();
        }
    }

    private async Task Write(List<Pending> batch)
    {
        await using var connection = await _database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO score_history (workspace, lead_id, scored_at, overall_score, conversion_probability, grade, model_version, trigger)
            SELECT * FROM unnest(@w, @l, @at, @score, @p, @grade, @version, @trigger);
            DELETE FROM score_history h
             USING (SELECT DISTINCT w, l FROM unnest(@w, @l) AS t(w, l)) touched
             WHERE h.workspace = touched.w AND h.lead_id = touched.l
               AND h.id <= (SELECT id FROM score_history x WHERE x.workspace = touched.w AND x.lead_id = touched.l
                             ORDER BY id DESC OFFSET @keep LIMIT 1);
            """, connection);
        command.Parameters.AddWithValue("w", batch.Select(p => p.Workspace).ToArray());
        command.Parameters.AddWithValue("l", batch.Select(p => p.LeadId).ToArray());
        command.Parameters.AddWithValue("at", batch.Select(p => p.Entry.ScoredAt.UtcDateTime).ToArray());
        command.Parameters.AddWithValue("score", batch.Select(p => p.Entry.OverallScore).ToArray());
        command.Parameters.AddWithValue("p", batch.Select(p => p.Entry.ConversionProbability).ToArray());
        command.Parameters.AddWithValue("grade", batch.Select(p => p.Entry.Grade).ToArray());
        command.Parameters.AddWithValue("version", batch.Select(p => p.Entry.ModelVersion).ToArray());
        command.Parameters.AddWithValue("trigger", batch.Select(p => p.Entry.Trigger.ToString()).ToArray());
        command.Parameters.AddWithValue("keep", LeadLimits.ScoreHistory);
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Pending(string Workspace, string LeadId, ScoreHistoryEntry Entry, TaskCompletionSource Done);
}
