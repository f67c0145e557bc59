using LeadScoring.Grains.Experiments;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.Services;
using Orleans.Services;

namespace LeadScoring.Grains.Scoring;

/// <summary>
/// Tells every silo that a workspace's champion or one of its experiments changed, before the change is
/// acknowledged: each silo's <see cref="ModelCache"/> and <see cref="ExperimentDirectory"/> forget what they knew,
/// so leads everywhere score with the new champion, or stop routing into a stopped experiment, on their next read.
/// A silo that cannot be told within <see cref="SiloTimeout"/> (busy, or leaving the cluster) still learns within
/// the caches' refresh intervals; the change itself is already committed, so it is logged and not failed.
/// </summary>
public sealed class ScoringCaches(
    IServiceProvider services,
    ModelCache models,
    ExperimentDirectory experiments,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    ILogger<ScoringCaches> logger) : GrainServiceClient<IScoringCacheService>(services)
{
    public static readonly TimeSpan SiloTimeout = TimeSpan.FromSeconds(2);

    public Task ChampionChanged(string workspace)
    {
        models.Forget(workspace);
        return TellOtherSilos(silo => silo.ForgetChampion(workspace), $"champion of workspace '{workspace}'");
    }

    public Task ExperimentChanged(string workspace, string experimentId)
    {
        experiments.Forget(workspace, experimentId);
        return TellOtherSilos(silo => silo.ForgetExperiment(workspace, experimentId), $"experiment '{experimentId}' of workspace '{workspace}'");
    }

    private Task TellOtherSilos(Func<IScoringCacheService, Task> forget, string what)
    {
        var others = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(localSilo.SiloAddress))
            .Select(member => member.SiloAddress);
        return Task.WhenAll(others.Select(async silo =>
        {
            try
            {
                await forget(GetGrainService(silo)).WaitAsync(SiloTimeout);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Silo {Silo} was not told of the change to the {What}; it sees it when its cache refreshes", silo, what);
            }
        }));
    }
}

/// <summary>One per silo: forgets what this silo's caches know, when <see cref="ScoringCaches"/> on another silo asks.</summary>
[Alias("LeadScoring.IScoringCacheService")]
public interface IScoringCacheService : IGrainService
{
    [Alias("ForgetChampion")]
    Task ForgetChampion(string workspace);

    [Alias("ForgetExperiment")]
    Task ForgetExperiment(string workspace, string experimentId);
}

[Reentrant]
public sealed class ScoringCacheService(
    GrainId id,
    Silo silo,
    ILoggerFactory loggerFactory,
    ModelCache models,
    ExperimentDirectory experiments) : GrainService(id, silo, loggerFactory), IScoringCacheService
{
    public Task ForgetChampion(string workspace)
    {
        models.Forget(workspace);
        return Task.CompletedTask;
    }

    public Task ForgetExperiment(string workspace, string experimentId)
    {
        experiments.Forget(workspace, experimentId);
        return Task.CompletedTask;
    }
}
