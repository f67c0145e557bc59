using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Scoring;

/// <summary>Fans a batch out to its lead grains from inside the cluster; one failing lead fails only itself.</summary>
[StatelessWorker, Reentrant]
public sealed class ScoringBatchGrain(ILogger<ScoringBatchGrain> logger) : Grain, IScoringBatchGrain
{
    private static readonly BatchScoreResult Unavailable = new(ScoreStatus.Unavailable, null, null, false);

    public Task<IReadOnlyList<BatchScoreResult?>> Score(string workspace, IReadOnlyList<string> leadIds, bool includeInsights) =>
        LeadFanOut.CallEach(leadIds, id => id, id => GrainFactory.GetLead(workspace, id).GetBatchScore(includeInsights), Unavailable, logger, "Scoring");
}
