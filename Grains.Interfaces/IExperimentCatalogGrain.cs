namespace LeadScoring.Grains.Interfaces;

/// <summary>The experiments of one workspace (keyed by the workspace).</summary>
[Alias("LeadScoring.IExperimentCatalogGrain")]
public interface IExperimentCatalogGrain : IGrainWithStringKey
{
    /// <summary>Oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<ExperimentRecord>> List();
}
