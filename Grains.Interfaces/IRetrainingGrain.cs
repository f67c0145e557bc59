using Orleans.Concurrency;

namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// A workspace's automatic retraining, keyed by workspace: on a reminder (daily by default), on a high drift
/// alert, or on request. One job at a time; it never blocks scoring.
/// </summary>
[Alias("LeadScoring.IRetrainingGrain")]
public interface IRetrainingGrain : IGrainWithStringKey
{
    /// <summary>Starts a job unless one is running; false when one was.</summary>
    [Alias("Start")]
    Task<bool> Start(string trigger);

    [Alias("GetStatus")]
    Task<RetrainingStatus> GetStatus();

    /// <summary>Makes sure the periodic reminder exists (called once the workspace has a champion).</summary>
    [OneWay, Alias("EnsureScheduled")]
    Task EnsureScheduled();
}
