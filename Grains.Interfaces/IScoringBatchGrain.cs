namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// Scores many leads of one workspace inside the cluster, so a batch costs the API a few messages instead of
/// one per lead. A stateless worker: every silo runs as many as it needs.
/// </summary>
[Alias("LeadScoring.IScoringBatchGrain")]
public interface IScoringBatchGrain : IGrainWithIntegerKey
{
    /// <returns>One result per lead id, in the same order; a lead that fails has a null result.</returns>
    [Alias("Score")]
    Task<IReadOnlyList<BatchScoreResult?>> Score(string workspace, IReadOnlyList<string> leadIds, bool includeInsights);
}
