using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Index;

/// <summary>Where the lead index is kept; one implementation per storage mode.</summary>
public interface ILeadIndexStore
{
    /// <summary>
    /// Through which outbox position the workspace's index has taken the events (0: none yet), and until when it
    /// keeps replaced lines for lists being paged.
    /// </summary>
    Task<(long IndexedThrough, DateTimeOffset? PagingUntil)> ProgressAsync(string workspace);

    /// <summary>Records until when the index keeps replaced lines, so a new activation of its grain knows.</summary>
    Task SetPagingUntilAsync(string workspace, DateTimeOffset until);

    /// <summary>
    /// In one transaction: writes the <paramref name="lines"/> of leads that still exist (keeping the lines they
    /// replace when <paramref name="keepReplaced"/>, for lists being paged), deletes the lines of the
    /// <paramref name="gone"/> leads, and records the progress (unless null).
    /// </summary>
    Task ApplyAsync(string workspace, IReadOnlyList<LeadIndexEntry> lines, IReadOnlyList<string> gone, long? indexedThrough, bool keepReplaced);

    /// <summary>The index's current position: what a first page reads as of.</summary>
    Task<long> PositionAsync();

    /// <summary>Up to <c>query.Limit + 1</c> lines in the query's order, as the index was at <paramref name="asOf"/>.</summary>
    Task<IReadOnlyList<LeadIndexEntry>> QueryAsync(string workspace, LeadIndexQuery query, long asOf);

    Task<LeadIndexSummary> SummaryAsync(string workspace);

    /// <summary>Forgets replaced lines older than <paramref name="before"/>: no cursor reads that far back.</summary>
    Task ForgetReplacedAsync(string workspace, DateTimeOffset before);

    /// <summary>The workspace's stored leads after <paramref name="after"/> in id order (a rebuild's pages).</summary>
    /// <exception cref="NotSupportedException">Memory mode, which cannot list its leads.</exception>
    Task<IReadOnlyList<string>> StoredLeadIdsAsync(string workspace, string? after, int limit);
}
