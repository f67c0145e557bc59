using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Import;

/// <summary>
/// Fans a chunk of imported rows out to their lead grains from inside the cluster, as
/// <see cref="ActivityBatchGrain"/> does for activities: the leads' state writes meet in the same group commits.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class LeadImportBatchGrain(ILogger<LeadImportBatchGrain> logger) : Grain, ILeadImportBatchGrain
{
    private static readonly LeadImportResult Unavailable = new(LeadImportStatus.Unavailable, []);

    public Task<IReadOnlyList<LeadImportResult?>> Import(string workspace, IReadOnlyList<LeadImportRow> rows) =>
        LeadFanOut.CallEach(rows, row => row.LeadId, row => GrainFactory.GetLead(workspace, row.LeadId).Import(row.Upsert, row.Outcome),
            Unavailable, logger, "Importing");
}
