namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// Records many leads' activities of one workspace inside the cluster, so a batch costs the API a few messages
/// instead of one per lead. A stateless worker: every silo runs as many as it needs.
/// </summary>
[Alias("LeadScoring.IActivityBatchGrain")]
public interface IActivityBatchGrain : IGrainWithIntegerKey
{
    /// <returns>
    /// One result per lead, in the same order, each returned once that lead's state is persisted (as
    /// <see cref="ILeadGrain.RecordActivities"/>); a lead whose call failed has a null result.
    /// </returns>
    [Alias("Record")]
    Task<IReadOnlyList<RecordActivitiesResult?>> Record(string workspace, IReadOnlyList<LeadActivities> leads);
}
