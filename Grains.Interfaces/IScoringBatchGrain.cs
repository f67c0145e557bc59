namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// Scores many leads of one workspace inside the cluster, so a batch costs the API a few messages instead of
/// one per lead. A stateless worker: every silo runs as many as it needs.
/// </summary>
[Alias("LeadScoring.IScoringBatchGrain")]
public interface IScoringBatchGrain : IGrainWithIntegerKey
{
    /// <returns>One result per lead id, in the same order; a lead that fails has a null result.</returns>
    /// <remarks>10,000 leads with their exact explanations take seconds of CPU: longer than a client's default wait.</remarks>
    [Alias("Score"), ResponseTimeout("00:01:00")]
    Task<IReadOnlyList<BatchScoreResult?>> Score(string workspace, IReadOnlyList<string> leadIds, bool includeInsights);
}
