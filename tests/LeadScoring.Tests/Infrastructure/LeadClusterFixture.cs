using LeadScoring.Grains;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Models;
using LeadScoring.Modeling.Training;
using LeadScoring.Silo;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>An in-process Orleans cluster running the real grains with the product's storage configuration.</summary>
public sealed class LeadCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private LeadCluster(InProcessTestCluster cluster, TestDatabase? database = null)
    {
        _cluster = cluster;
        Database = database;
    }

    public IClusterClient Client => _cluster.Client;

    /// <summary>The cluster's own database, when it was started on one by <see cref="StartOnNewDatabaseAsync"/>.</summary>
    public TestDatabase? Database { get; }

    /// <summary>
    /// A fresh database, migrated as its owner, and a cluster on it connecting as the product's role: what the
    /// cluster tests that need PostgreSQL share. Disposing the cluster drops the database.
    /// </summary>
    public static async Task<LeadCluster> StartOnNewDatabaseAsync(string clusterId, int silos = 1, Action<ISiloBuilder>? configure = null)
    {
        var database = await TestDatabase.CreateAsync();
        await database.MigrateAsync();
        var cluster = await StartAsync(new ClusterSettings(database.RuntimeConnectionString, clusterId, $"leadscoring-{clusterId}-tests", 0, 0), silos, configure);
        return new LeadCluster(cluster._cluster, database);
    }

    /// <param name="configure">Further silo configuration (after the product's), for example shorter intervals.</param>
    public static async Task<LeadCluster> StartAsync(ClusterSettings settings, int silos = 1, Action<ISiloBuilder>? configure = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.ServiceId = settings.ServiceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseLeadScoringStorage(settings).AddLeadScoringGrains();
            configure?.Invoke(silo);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LeadCluster(cluster);
    }

    public ILeadGrain Lead(string leadId, string workspace = WorkspaceKey.DefaultWorkspace) =>
        Client.GetGrain<ILeadGrain>(WorkspaceKey.Format(workspace, leadId));

    /// <summary>Registers a trained model in the silo's registry, as a training job would; returns its version.</summary>
    public async Task<string> RegisterModelAsync(string workspace, TrainingResult model) =>
        (await _cluster.Silos[0].ServiceProvider.GetRequiredService<IModelRegistry>().RegisterAsync(workspace, model)).Version;

    /// <summary>Stores labelled leads in the silo's training snapshots, as recorded outcomes would.</summary>
    public async Task SaveSnapshotsAsync(IEnumerable<TrainingSnapshot> snapshots)
    {
        var store = _cluster.Silos[0].ServiceProvider.GetRequiredService<ITrainingSnapshotStore>();
        foreach (var snapshot in snapshots)
        {
            await store.SaveAsync(snapshot);
        }
    }

    /// <summary>The silo's training snapshots of a workspace.</summary>
    public Task<IReadOnlyList<TrainingSnapshot>> ListSnapshotsAsync(string workspace = WorkspaceKey.DefaultWorkspace) =>
        _cluster.Silos[0].ServiceProvider.GetRequiredService<ITrainingSnapshotStore>().ListAsync(workspace);

    /// <summary>Drops the activation so that the next call loads the state from storage again.</summary>
    public Task DeactivateAsync(ILeadGrain lead) => _cluster.DeactivateAsync(lead);

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

public sealed class MemoryLeadClusterFixture : IAsyncLifetime
{
    public LeadCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await LeadCluster.StartAsync(new ClusterSettings(null, "test", "leadscoring-tests", 0, 0));

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
