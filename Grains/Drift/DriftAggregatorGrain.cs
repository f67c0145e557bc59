using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Drift;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Drift;

/// <summary>
/// A silo's drift pre-aggregator for one workspace: counts what its lead grains report on the model's reference
/// bins and sends the counts to the workspace's <see cref="DriftGrain"/> every <see cref="DriftOptions.FlushInterval"/>
/// (and when it is deactivated). One activation per silo, so its counts need no locking.
/// </summary>
[StatelessWorker(1)]
public sealed class DriftAggregatorGrain(ModelCache models, IOptions<DriftOptions> options, LocalDriftAggregators local) : Grain, IDriftAggregatorGrain, IWorkspaceScoped
{
    private readonly Dictionary<string, DriftAccumulator> _byVersion = new(StringComparer.Ordinal);

    public string Workspace => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.FlushInterval;
        this.RegisterGrainTimer(cancellation => Flush(cancellation), new GrainTimerCreationOptions(interval, interval));
        local.Add(Workspace);
        return Task.CompletedTask;
    }

    // Usually empty by now: a stopping silo flushed it before its grains were deactivated (LocalDriftAggregators).
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Flush(cancellationToken);

    public Task Flush() => Flush(CancellationToken.None);

    public async Task Observe(DriftSample sample)
    {
        if (await Accumulator(sample.ModelVersion) is { } accumulator)
        {
            accumulator.Add(sample);
        }
    }

    public async Task ObserveOutcome(string modelVersion, LabelledScore outcome)
    {
        if (await Accumulator(modelVersion) is { } accumulator)
        {
            accumulator.AddOutcome(outcome);
        }
    }

    private async ValueTask<DriftAccumulator?> Accumulator(string version)
    {
        if (_byVersion.TryGetValue(version, out var accumulator))
        {
            return accumulator;
        }

        if (await models.VersionAsync(Workspace, version) is not { } model)
        {
            return null;
        }

        return _byVersion.TryGetValue(version, out accumulator) ? accumulator
            : _byVersion[version] = new DriftAccumulator(version, model.Scoring.Artifact);
    }

    private async Task Flush(CancellationToken cancellationToken)
    {
        var drift = GrainFactory.GetGrain<IDriftGrain>(Workspace);
        foreach (var accumulator in _byVersion.Values.Where(a => !a.IsEmpty).ToList())
        {
            await drift.Merge(accumulator.Take());
        }
    }
}
