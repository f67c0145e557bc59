namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// A workspace's lead index (keyed by the workspace): kept from the workspace's events, and rebuilt from the leads
/// themselves on request. Lists and summaries are read through <see cref="ILeadIndexQueryGrain"/>.
/// </summary>
[Alias("LeadScoring.ILeadIndexGrain")]
public interface ILeadIndexGrain : IGrainWithStringKey
{
    /// <summary>Starts rebuilding the index from every stored lead, unless a rebuild is running; answers with its status.</summary>
    [Alias("StartRebuild")]
    Task<LeadIndexRebuild> StartRebuild();

    [Alias("GetRebuild")]
    Task<LeadIndexRebuild?> GetRebuild();

    /// <summary>
    /// A list is being paged: from now on the index keeps the lines it replaces for the cursor's lifetime. Answers the
    /// position of its last committed write, as of which the pages read.
    /// </summary>
    [Alias("StartPaging")]
    Task<long> StartPaging();
}

/// <summary>A rebuild of the lead index: how far it got, and whether it can run in this storage mode at all.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadIndexRebuild")]
public sealed record LeadIndexRebuild(
    [property: Id(0)] string State, [property: Id(1)] long Leads, [property: Id(2)] DateTimeOffset StartedAt, [property: Id(3)] DateTimeOffset? EndedAt,
    [property: Id(4)] string? Error);

/// <summary>Reads a workspace's lead index (keyed by the workspace; stateless, on whichever silo is called).</summary>
[Alias("LeadScoring.ILeadIndexQueryGrain")]
public interface ILeadIndexQueryGrain : IGrainWithStringKey
{
    /// <summary>A page of the index, or the query's errors (an attribute the workspace does not index, a cursor past its lifetime).</summary>
    [Alias("Query")]
    Task<LeadIndexQueryResult> Query(LeadIndexQuery query);

    [Alias("Summary")]
    Task<LeadIndexSummary> Summary();
}

[GenerateSerializer, Immutable, Alias("LeadScoring.LeadIndexQueryResult")]
public sealed record LeadIndexQueryResult([property: Id(0)] LeadIndexPage? Page, [property: Id(1)] IReadOnlyList<ValidationError> Errors);
