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
                results[i] = await GrainFactory.GetLead(workspace, leadId).GetBatchScore(includeInsights);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Scoring lead {Lead} of a batch failed", leadId);
            }
        }));
        return results;
    }
}
