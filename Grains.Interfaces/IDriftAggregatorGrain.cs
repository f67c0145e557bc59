using Orleans.Concurrency;

namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// A silo's pre-aggregator for one workspace (a stateless worker, so every silo has its own): lead grains
/// report to the one on their silo without waiting, and it sends compact counts to the workspace's
/// <see cref="IDriftGrain"/> on a timer, so no call per rescore reaches the singleton.
/// </summary>
[Alias("LeadScoring.IDriftAggregatorGrain")]
public interface IDriftAggregatorGrain : IGrainWithStringKey
{
    [OneWay, Alias("Observe")]
    Task Observe(DriftSample sample);

    /// <summary>An outcome recorded for a lead, with the probability the model gave it.</summary>
    [OneWay, Alias("ObserveOutcome")]
    Task ObserveOutcome(string modelVersion, LabelledScore outcome);

    /// <summary>Sends what it has counted now, not at its next timer: a silo that stops calls it while the cluster still serves.</summary>
    [Alias("Flush")]
    Task Flush();
}
