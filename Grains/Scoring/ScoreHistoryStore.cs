using System.Collections.Concurrent;
using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadScoring.Grains.Scoring;

/// <summary>Each lead's recent scores, at most <see cref="LeadLimits.ScoreHistory"/> per lead.</summary>
public interface IScoreHistoryStore
{
    /// <summary>
    /// Returns once the entry is durable. <paramref name="historyFull"/>: the lead already holds
    /// <see cref="LeadLimits.ScoreHistory"/> entries, so the oldest must go (the lead knows; the store need not count).
    /// </summary>
    Task AppendAsync(string workspace, string leadId, ScoreHistoryEntry entry, bool historyFull);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ScoreHistoryEntry>> ListAsync(string workspace, string leadId);

    /// <summary>Removes all of the lead's entries (erasure); returns once that is durable.</summary>
    Task DeleteAsync(string workspace, string leadId);
}

/// <summary>Memory mode: the history lives as long as the silo.</summary>
public sealed class InMemoryScoreHistoryStore : IScoreHistoryStore
{
    private readonly ConcurrentDictionary<(string, string), List<ScoreHistoryEntry>> _history = new();

    public Task AppendAsync(string workspace, string leadId, ScoreHistoryEntry entry, bool historyFull)
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

    public Task DeleteAsync(string workspace, string leadId)
    {
        _history.TryRemove((workspace, leadId), out _);
        return Task.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL mode: table score_history. Appends from all the silo's leads are group-committed (one
/// transaction per batch), so thousands of rescoring leads per second cost a few round trips, and each caller
/// still returns only once its own row is committed.
/// </summary>
public sealed class PostgresScoreHistoryStore : IScoreHistoryStore, IAsyncDisposable
{
    private const int MaxBatch = 1000;

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitQueue<Append, bool> _appends;

    public PostgresScoreHistoryStore(NpgsqlDataSource database, ILogger<PostgresScoreHistoryStore> logger)
    {
        _database = database;
        _appends = new GroupCommitQueue<Append, bool>(Write, MaxBatch, logger, "score history entries");
    }

    public Task AppendAsync(string workspace, string leadId, ScoreHistoryEntry entry, bool historyFull) =>
        _appends.EnqueueAsync(new Append(workspace, leadId, entry, historyFull));

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
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetDouble(1), reader.GetDouble(2), SharedValues.Text(reader.GetString(3)), SharedValues.Text(reader.GetString(4)),
                Enum.Parse<ScoreTrigger>(reader.GetString(5))));
        }

        return entries;
    }

    /// <remarks>
    /// Appends of the lead still queued could land after the delete; the lead grain awaits its own writes
    /// before it erases, and a grain's calls do not interleave, so none are queued when this runs.
    /// </remarks>
    public async Task DeleteAsync(string workspace, string leadId)
    {
        await using var command = _database.CreateCommand("DELETE FROM score_history WHERE workspace = @w AND lead_id = @l");
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("l", leadId);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _appends.DisposeAsync();

    private async Task<bool[]> Write(IReadOnlyList<Append> batch)
    {
        await using var connection = await _database.OpenConnectionAsync();
        // One implicit transaction for both statements. Only leads whose history was already full are trimmed,
        // so the common case is a plain insert.
        await using var command = new NpgsqlCommand("""
            INSERT INTO score_history (workspace, lead_id, scored_at, overall_score, conversion_probability, grade, model_version, trigger)
            SELECT * FROM unnest(@w, @l, @at, @score, @p, @grade, @version, @trigger);
            DELETE FROM score_history h
             USING (SELECT DISTINCT w, l FROM unnest(@w, @l, @full) AS t(w, l, f) WHERE f) touched
             WHERE h.workspace = touched.w AND h.lead_id = touched.l
               AND h.id <= (SELECT id FROM score_history x WHERE x.workspace = touched.w AND x.lead_id = touched.l
                             ORDER BY id DESC OFFSET @keep LIMIT 1);
            """, connection);
        command.Parameters.AddWithValue("w", batch.Select(a => a.Workspace).ToArray());
        command.Parameters.AddWithValue("l", batch.Select(a => a.LeadId).ToArray());
        command.Parameters.AddWithValue("at", batch.Select(a => a.Entry.ScoredAt.UtcDateTime).ToArray());
        command.Parameters.AddWithValue("score", batch.Select(a => a.Entry.OverallScore).ToArray());
        command.Parameters.AddWithValue("p", batch.Select(a => a.Entry.ConversionProbability).ToArray());
        command.Parameters.AddWithValue("grade", batch.Select(a => a.Entry.Grade).ToArray());
        command.Parameters.AddWithValue("version", batch.Select(a => a.Entry.ModelVersion).ToArray());
        command.Parameters.AddWithValue("trigger", batch.Select(a => a.Entry.Trigger.ToString()).ToArray());
        command.Parameters.AddWithValue("full", batch.Select(a => a.HistoryFull).ToArray());
        command.Parameters.AddWithValue("keep", LeadLimits.ScoreHistory);
        await command.ExecuteNonQueryAsync();
        return new bool[batch.Count];
    }

    private sealed record Append(string Workspace, string LeadId, ScoreHistoryEntry Entry, bool HistoryFull);
}
