using LeadScoring.Grains.Models;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Simulation;
using Microsoft.Extensions.Options;

namespace LeadScoring.Silo;

/// <summary>
/// With LEADSCORING_INITIAL_MODEL=simulated (./run.sh sets it), a workspace without any registered model gets
/// one trained on <see cref="SimulatedHistory"/> when the silo starts, so a fresh installation scores out of the
/// box. The model's report names its data source, and any real model promoted later replaces it. A workspace
/// keeps its models across restarts in PostgreSQL, so this happens once there; a workspace whose models were
/// all rolled back stays as its admin left it.
/// </summary>
public sealed class InitialModelService(
    IConfiguration configuration, IModelRegistry registry, ScoringCaches caches, IOptions<FeatureOptions> features, ILogger<InitialModelService> logger)
    : BackgroundService
{
    public const string Variable = "LEADSCORING_INITIAL_MODEL";
    public const string WorkspacesVariable = "LEADSCORING_INITIAL_MODEL_WORKSPACES";
    public const int SimulatedLeads = 3000;

    public static bool IsEnabled(IConfiguration configuration) => configuration[Variable] == "simulated";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workspaces = (configuration[WorkspacesVariable] ?? Grains.Interfaces.WorkspaceKey.DefaultWorkspace)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var workspace in workspaces)
        {
            try
            {
                if ((await registry.ListAsync(workspace, stoppingToken)).Count > 0)
                {
                    continue;
                }

                logger.LogWarning("Workspace {Workspace} has no model: training an initial one on SIMULATED history", workspace);
                // Training is seconds of CPU: keep it off the silo's threads.
                var result = await Task.Run(() => SimulatedHistory.Train(workspace, SimulatedLeads, seed: 1, DateTimeOffset.UtcNow, features.Value), stoppingToken);
                var version = await registry.RegisterAsync(workspace, result, stoppingToken);
                if (await registry.ChampionAsync(workspace, stoppingToken) is null)
                {
                    await registry.PromoteAsync(workspace, version.Version, "initial model trained on simulated history", stoppingToken);
                    await caches.ChampionChanged(workspace);
                }

                logger.LogWarning("Workspace {Workspace}: initial model {Version} (simulated history, holdout AUC {Auc:0.000}) is the champion",
                    workspace, version.Version, result.Report.Holdout.Auc);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Training the initial model of workspace {Workspace} failed", workspace);
            }
        }
    }
}
