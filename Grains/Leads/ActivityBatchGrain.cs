using LeadScoring.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// Fans a batch of activities out to their lead grains from inside the cluster. The leads record theirs
/// concurrently, so their state writes meet in the same group commits; one failing lead fails only itself.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class ActivityBatchGrain(ILogger<ActivityBatchGrain> logger) : Grain, IActivityBatchGrain
{
    private static readonly RecordActivitiesResult Unavailable = new(CommandStatus.Unavailable, 0, 0, []);

    public Task<IReadOnlyList<RecordActivitiesResult?>> Record(string workspace, IReadOnlyList<LeadActivities> leads) =>
        LeadFanOut.CallEach(leads, lead => lead.LeadId, lead => GrainFactory.GetLead(workspace, lead.LeadId).RecordActivities(lead.Activities),
            Unavailable, logger, "Recording activities");
}
