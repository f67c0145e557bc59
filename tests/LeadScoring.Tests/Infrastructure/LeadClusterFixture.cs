using LeadScoring.Grains;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Silo;
using Orleans.TestingHost;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>An in-process Orleans cluster running the real grains with the product's storage configuration.</summary>
public sealed class LeadCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private LeadCluster(InProcessTestCluster cluster) => _cluster = cluster;

    public IClusterClient Client => _cluster.Client;

    public static async Task<LeadCluster> StartAsync(ClusterSettings settings)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = settings.ServiceId;
        builder.ConfigureSilo((_, silo) => silo.UseLeadScoringStorage(settings).AddLeadScoringGrains());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LeadCluster(cluster);
    }

    public ILeadGrain Lead(string leadId) => Client.GetGrain<ILeadGrain>(WorkspaceKey.Format(WorkspaceKey.DefaultWorkspace, leadId));

    /// <summary>Drops the activation so that the next call loads the state from storage again.</summary>
    public Task DeactivateAsync(ILeadGrain lead) => _cluster.DeactivateAsync(lead);

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}

public sealed class MemoryLeadClusterFixture : IAsyncLifetime
{
    public LeadCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await LeadCluster.StartAsync(new ClusterSettings(null, "test", "leadscoring-tests", 0, 0));

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
