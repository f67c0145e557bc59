using LeadScoring.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Scoring;

/// <summary>Fans a batch out to its lead grains from inside the cluster; one failing lead fails only itself.</summary>
[StatelessWorker, Reentrant]
public sealed class ScoringBatchGrain(ILogger<ScoringBatchGrain> logger) : Grain, IScoringBatchGrain
{
    public async Task<IReadOnlyList<BatchScoreResult?>> Score(string workspace, IReadOnlyList<string> leadIds, bool includeInsights)
    {
        var results = new BatchScoreResult?[leadIds.Count];
        await Task.WhenAll(leadIds.Select(async (leadId, i) =>
        {
            try
            {
                var result = await GrainFactory.GetLead(workspace, leadId).GetScore(includeInsights);
                // Without insights only the headline travels back: a full score is ten times the size.
                results[i] = new BatchScoreResult(
                    result.Status, result.Score is { } score ? ScoreSummary.Of(score) : null, includeInsights ? result.Score : null, result.CacheHit);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Scoring lead {Lead} of a batch failed", leadId);
            }
        }));
        return results;
    }
}
