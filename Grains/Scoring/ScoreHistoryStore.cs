using System.Collections.Concurrent;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Scoring;
using Npgsql;

namespace LeadScoring.Grains.Scoring;

/// <summary>
/// Each lead's recent scores: the newest <see cref="LeadLimits.ScoreHistory"/> per lead are read, and a store may
/// hold older ones until the lead trims them (<see cref="LeadLimits.StoredScoreHistory"/>).
/// </summary>
public interface IScoreHistoryStore
{
    /// <summary>
    /// Returns once the entry is durable. <paramref name="trimHistory"/>: the lead's entries reach
    /// <see cref="LeadLimits.StoredScoreHistory"/> with this one, so all but the newest
    /// <see cref="LeadLimits.ScoreHistory"/> must go (the lead knows; the store need not count). The entry's
    /// <paramref name="events"/> go into the outbox with it.
    /// </summary>
    Task AppendAsync(string workspace, string leadId, ScoreHistoryEntry entry, bool trimHistory, IReadOnlyList<WorkspaceEvent> events);

    /// <summary>Newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ScoreHistoryEntry>> ListAsync(string workspace, string leadId, int limit = LeadLimits.ScoreHistory);

    /// <summary>Removes all of the lead's entries (erasure); returns once that is durable.</summary>
    Task DeleteAsync(string workspace, string leadId);
}

/// <summary>
/// Memory mode: the history lives as long as the silo, exactly <see cref="LeadLimits.ScoreHistory"/> entries per
/// lead (dropping the oldest costs nothing here, so it ignores when the lead asks).
/// </summary>
public sealed class InMemoryScoreHistoryStore(IEventOutbox outbox) : IScoreHistoryStore
{
    private readonly ConcurrentDictionary<(string, string), List<ScoreHistoryEntry>> _history = new();

    public Task AppendAsync(string workspace, string leadId, ScoreHistoryEntry entry, bool trimHistory, IReadOnlyList<WorkspaceEvent> events)
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

        return outbox.AppendAsync(events);
    }

    public Task<IReadOnlyList<ScoreHistoryEntry>> ListAsync(string workspace, string leadId, int limit = LeadLimits.ScoreHistory)
    {
        if (!_history.TryGetValue((workspace, leadId), out var entries))
        {
            return Task.FromResult<IReadOnlyList<ScoreHistoryEntry>>([]);
        }

        lock (entries)
        {
            return Task.FromResult<IReadOnlyList<ScoreHistoryEntry>>([.. entries.Take(limit)]);
        }
    }

    public Task DeleteAsync(string workspace, string leadId)
    {
        _history.TryRemove((workspace, leadId), out _);
        return Task.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL mode: table score_history. Appends go through <see cref="LeadWrites"/>, the silo's group commit
/// for lead rows, so thousands of rescoring leads per second cost a few transactions (shared with the leads'
/// state writes), and each caller still returns only once its own row is committed.
/// </summary>
public sealed class PostgresScoreHistoryStore(NpgsqlDataSource database, LeadWrites writes) : IScoreHistoryStore
{
    public Task AppendAsync(string workspace, string leadId, ScoreHistoryEntry entry, bool trimHistory, IReadOnlyList<WorkspaceEvent> events) =>
        writes.AppendHistoryAsync(workspace, leadId, entry, trimHistory, events);

    public async Task<IReadOnlyList<ScoreHistoryEntry>> ListAsync(string workspace, string leadId, int limit = LeadLimits.ScoreHistory)
    {
        await using var command = database.CreateCommand("""
            SELECT scored_at, overall_score, conversion_probability, grade, model_version, trigger
              FROM score_history WHERE workspace = @w AND lead_id = @l ORDER BY id DESC LIMIT @n
            """);
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("l", leadId);
        command.Parameters.AddWithValue("n", limit);
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
    public Task DeleteAsync(string workspace, string leadId) => LeadRows.DeleteAsync(database, "score_history", workspace, leadId);
}
