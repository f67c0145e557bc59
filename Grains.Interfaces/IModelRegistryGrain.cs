namespace LeadScoring.Grains.Interfaces;

/// <summary>The model versions of one workspace (keyed by workspace); promotions go through it one at a time.</summary>
[Alias("LeadScoring.IModelRegistryGrain")]
public interface IModelRegistryGrain : IGrainWithStringKey
{
    [Alias("List")]
    Task<IReadOnlyList<ModelSummary>> List();

    [Alias("Get")]
    Task<ModelSummary?> Get(string version);

    /// <returns>False when the workspace has no such version.</returns>
    [Alias("Promote")]
    Task<bool> Promote(string version, string reason);

    /// <returns>The champion after the rollback, or null when there was no earlier champion.</returns>
    [Alias("Rollback")]
    Task<string?> Rollback();
}
