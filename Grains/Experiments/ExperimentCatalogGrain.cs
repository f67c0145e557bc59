using LeadScoring.Grains.Interfaces;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Experiments;

/// <summary>Lists a workspace's experiments from the store; stateless, so any silo answers locally.</summary>
[StatelessWorker]
public sealed class ExperimentCatalogGrain(IExperimentStore experiments) : Grain, IExperimentCatalogGrain, IWorkspaceScoped
{
    public string Workspace => this.GetPrimaryKeyString();

    public Task<IReadOnlyList<ExperimentRecord>> List() => experiments.ListAsync(Workspace);
}
