using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Grains.Models;

/// <summary>The registry of one workspace, as seen by API and other services (the registry itself is in the silo).</summary>
public sealed class ModelRegistryGrain(IModelRegistry registry, ScoringCaches caches) : Grain, IModelRegistryGrain, IWorkspaceScoped
{
    public string Workspace => this.GetPrimaryKeyString();

    public async Task<IReadOnlyList<ModelSummary>> List() =>
        [.. (await registry.ListAsync(Workspace)).Select(Summary)];

    public async Task<ModelSummary?> Get(string version) =>
        await registry.GetAsync(Workspace, version) is { } found ? Summary(found.Version) : null;

    public async Task<bool> Promote(string version, string reason)
    {
        var promoted = await registry.PromoteAsync(Workspace, version, reason);
        await caches.ChampionChanged(Workspace);
        return promoted;
    }

    public async Task<string?> Rollback()
    {
        var champion = await registry.RollbackAsync(Workspace);
        await caches.ChampionChanged(Workspace);
        return champion;
    }

    private static ModelSummary Summary(ModelVersion version) => new(
        version.Version, version.CreatedAt, version.DataFingerprint, version.IsChampion,
        JsonSerializer.Serialize(version.Report, ReportJson.Options));
}
