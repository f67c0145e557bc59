using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Grains.Leads;

/// <summary>Writing the state with what goes alongside it, and what a failed write does to the activation.</summary>
public sealed partial class LeadGrain
{
    // The training snapshot of an outcome recorded since the last write (see TakeOutcome).
    private TrainingSnapshot? _unstoredSnapshot;

    // The events of the changes since the last write, which go into the outbox with it.
    private List<WorkspaceEvent>? _unstoredEvents;

    private List<WorkspaceEvent> UnstoredEvents => _unstoredEvents ??= [];

    /// <summary>
    /// Writes the state; if that fails the in-memory state is ahead of storage, so the activation is dropped
    /// and the next call starts again from what was persisted.
    /// </summary>
    private Task Persist() => PersistWithHistory(null, null);

    /// <summary>
    /// The changed state with the history entry of the score it now holds, the activities taken and the training
    /// snapshot made since the last write, in one transaction: they are stored only if the state write succeeds.
    /// </summary>
    private async Task PersistWithHistory(ScoreHistoryEntry? entry, RecentScores? history)
    {
        var (activities, extras) = TakeUnstored(entry, entry is not null && history!.TrimsOnNextAppend);
        extras = extras with { Snapshot = _unstoredSnapshot, Events = TakeEvents() };
        _unstoredSnapshot = null;
        await Persisted(services.Store.WriteAsync(this.GetGrainId(), this, extras));
        StoredActivities(activities.Count);
    }

    private IReadOnlyList<WorkspaceEvent> TakeEvents()
    {
        IReadOnlyList<WorkspaceEvent> events = _unstoredEvents ?? [];
        _unstoredEvents = null;
        return events;
    }

    private async Task Persisted(Task write)
    {
        try
        {
            await write;
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
