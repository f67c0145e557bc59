using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// Where a lead grain keeps itself: its state, and beside it its recent activities and its chunks of remembered
/// activity ids as rows of their own, so a change writes the lead's aggregates and its new rows instead of all
/// of them again. A write commits the state with what goes alongside it (<see cref="LeadWriteExtras"/>) or not
/// at all. One implementation per storage mode (PostgreSQL, memory); the grain does not know which it has.
/// </summary>
public interface ILeadStore
{
    /// <summary>
    /// Reads the lead's state (a fresh one when there is none), its version and whether it exists, and sets
    /// <see cref="LeadState.ActivityRows"/> to the number of activity rows it holds.
    /// </summary>
    Task ReadAsync(GrainId lead, IGrainState<LeadState> state);

    /// <summary>
    /// Writes the state with the <paramref name="extras"/> in one transaction, if the stored version is still the
    /// one the grain read; otherwise throws <see cref="InconsistentStateException"/> and writes nothing.
    /// </summary>
    Task WriteAsync(GrainId lead, IGrainState<LeadState> state, LeadWriteExtras extras);

    /// <summary>
    /// Deletes the state, the activity rows and the remembered ids (erasure), if the state is still the version the
    /// grain read, and puts the <paramref name="erased"/> event in the outbox with the deletion.
    /// </summary>
    Task ClearAsync(GrainId lead, IGrainState<LeadState> state, WorkspaceEvent erased);

    /// <summary>The lead's newest <paramref name="limit"/> stored activities, newest occurrence first, then in the order taken.</summary>
    Task<IReadOnlyList<NumberedActivity>> ReadRecentActivitiesAsync(GrainId lead, int limit);

    /// <summary>The lead's stored chunks of remembered activity ids, oldest first.</summary>
    Task<IReadOnlyList<long[]>> ReadActivityIdChunksAsync(GrainId lead);
}

/// <summary>What a lead's state write carries.</summary>
/// <param name="HistoryEntry">The history entry of the score the state holds, if it has a new one.</param>
/// <param name="TrimHistory">The entry brings the lead's history to <see cref="LeadLimits.StoredScoreHistory"/>.</param>
/// <param name="Activities">The activities the lead took since its last write, each with the lead's count when it took it.</param>
/// <param name="TrimActivities">They bring the lead's activity rows to <see cref="LeadLimits.StoredRecentActivities"/>.</param>
public sealed record LeadWriteExtras(ScoreHistoryEntry? HistoryEntry, bool TrimHistory, IReadOnlyList<NumberedActivity> Activities, bool TrimActivities)
{
    public static readonly LeadWriteExtras None = new(null, false, [], false);

    /// <summary>The chunks of remembered activity ids the lead filled since its last write.</summary>
    public IReadOnlyList<ActivityIdChunk> IdChunks { get; init; } = [];

    /// <summary>The lead's stored chunks numbered below this are forgotten (0: none).</summary>
    public int ForgetIdChunksBelow { get; init; }

    /// <summary>The lead's training snapshot of a newly recorded outcome, which replaces the one it had.</summary>
    public TrainingSnapshot? Snapshot { get; init; }

    /// <summary>The events of the change, which the outbox gets with it.</summary>
    public IReadOnlyList<WorkspaceEvent> Events { get; init; } = [];
}

/// <summary>An activity a lead took, with its activity count when it took it.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.NumberedActivity")]
public readonly record struct NumberedActivity([property: Id(0)] long Received, [property: Id(1)] RecentActivity Activity);
