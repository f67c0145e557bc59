using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Experiments;

namespace LeadScoring.Grains.Experiments;

/// <summary>
/// One A/B test of scoring models. It does not sit in the scoring path: leads compute their variant themselves
/// (<see cref="ExperimentAssignment"/>) from the definition each silo caches (<see cref="ExperimentDirectory"/>)
/// and record their exposures in the store, so a popular experiment is not a bottleneck. This grain creates
/// and stops the experiment and computes its report from the stored exposures and outcomes.
/// </summary>
public sealed class ExperimentGrain(
    IExperimentStore experiments,
    IModelRegistry registry,
    ScoringCaches caches,
    IEventOutbox outbox,
    TimeProvider clock) : Grain, IExperimentGrain, IWorkspaceScoped
{
    private (string Workspace, string Id)? _key;

    public string Workspace => Key.Workspace;

    private string ExperimentId => Key.Id;

    private (string Workspace, string Id) Key => _key ??= WorkspaceKey.Parse(this.GetPrimaryKeyString());

    public async Task<ExperimentCommandResult> Create(ExperimentDefinition definition)
    {
        if (definition.ExperimentId != ExperimentId)
        {
            return new ExperimentCommandResult(CommandStatus.Invalid, null, [new("experiment_id", "does not match the experiment addressed")]);
        }

        var versions = (await registry.ListAsync(Workspace)).Select(v => v.Version).ToHashSet(StringComparer.Ordinal);
        var errors = ExperimentRules.Validate(definition, versions.Contains);
        if (errors.Count > 0)
        {
            return new ExperimentCommandResult(CommandStatus.Invalid, null, errors);
        }

        var record = new ExperimentRecord(definition, ExperimentStatus.Running, clock.GetUtcNow(), null, null, new Dictionary<string, double>());
        if (await experiments.CreateAsync(Workspace, record))
        {
            // A silo asked to score in this experiment before it existed remembers that it did not.
            await caches.ExperimentChanged(Workspace, ExperimentId);
            return new ExperimentCommandResult(CommandStatus.Created, record, []);
        }

        // Creating the same experiment again (a retried request) is fine; a different one under the same id is not.
        var existing = (await experiments.GetAsync(Workspace, ExperimentId))!;
        return SameDefinition(existing.Definition, definition)
            ? new ExperimentCommandResult(CommandStatus.Ok, existing, [])
            : new ExperimentCommandResult(CommandStatus.Invalid, null, [new("experiment_id", "another experiment already has this id")]);
    }

    public Task<ExperimentRecord?> Get() => experiments.GetAsync(Workspace, ExperimentId);

    public async Task<ExperimentReport?> GetReport()
    {
        if (await experiments.GetAsync(Workspace, ExperimentId) is not { } experiment)
        {
            return null;
        }

        var (report, sequential) = ExperimentAnalysis.Analyze(experiment, await experiments.TallyAsync(Workspace, ExperimentId), clock.GetUtcNow());
        // The always-valid p-values only ever go down: keep their running minimum.
        if (!sequential.OrderBy(p => p.Key).SequenceEqual(experiment.SequentialPValues.OrderBy(p => p.Key)))
        {
            await experiments.UpdateAsync(Workspace, report.Experiment);
        }

        return report;
    }

    public async Task<ExperimentCommandResult> Stop(bool promoteWinner)
    {
        if (await GetReport() is not { } report)
        {
            return new ExperimentCommandResult(CommandStatus.NotFound, null, []);
        }

        var experiment = report.Experiment;
        if (experiment.Status == ExperimentStatus.Stopped)
        {
            return new ExperimentCommandResult(CommandStatus.Ok, experiment, []);
        }

        string? promoted = null;
        if (promoteWinner)
        {
            if (report.Verdict != ExperimentVerdict.SignificantWinner || report.Winner is null)
            {
                return new ExperimentCommandResult(CommandStatus.Invalid, null,
                    [new("promote_winner", $"there is no significant winner to promote (verdict: {report.Verdict})")]);
            }

            var winner = experiment.Definition.Variants.Single(v => v.Name == report.Winner);
            await GrainFactory.GetGrain<IModelRegistryGrain>(Workspace)
                .Promote(winner.ModelVersion, $"winner of experiment {ExperimentId} ({winner.Name})");
            promoted = winner.Name;
        }

        var stopped = experiment with { Status = ExperimentStatus.Stopped, StoppedAt = clock.GetUtcNow(), PromotedVariant = promoted };
        await experiments.UpdateAsync(Workspace, stopped);
        await outbox.AppendAsync([EventData.Event(EventTypes.ExperimentStopped, Workspace, stopped.StoppedAt!.Value, null, writer =>
        {
            writer.WriteString("experiment_id", ExperimentId);
            writer.WriteString("promoted_variant", promoted);
        })]);
        await caches.ExperimentChanged(Workspace, ExperimentId);
        return new ExperimentCommandResult(CommandStatus.Ok, stopped, []);
    }

    private static bool SameDefinition(ExperimentDefinition a, ExperimentDefinition b) =>
        a with { Variants = [] } == b with { Variants = [] } && a.Variants.SequenceEqual(b.Variants);
}
