
namespace LeadScoring.Grains.Interfaces;

/// <summary>The workspace's drift watch, keyed by workspace: one activation in the cluster.</summary>
[Alias("LeadScoring.IDriftGrain")]
public interface IDriftGrain : IGrainWithStringKey
{
    /// <summary>Adds a pre-aggregator's counts to the current window.</summary>
    [Alias("Merge")]
    Task Merge(DriftCounts counts);

    /// <summary>Where the window stands, or null before the workspace has a champion.</summary>
    [Alias("GetReport")]
    Task<DriftReport?> GetReport();
}
