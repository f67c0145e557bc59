using System.Net;
using LeadScoring.Common;
using LeadScoring.Grains;
using LeadScoring.Grains.Drift;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Experiments;
using LeadScoring.Grains.Index;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.PersonalData;
using LeadScoring.Grains.Retraining;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Storage;
using LeadScoring.Grains.Webhooks;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Providers;
using Orleans.Storage;

namespace LeadScoring.Silo;

public static class SiloHosting
{
    /// <summary>
    /// Grain storage, reminders, the model registry, the training snapshots and the score history: in PostgreSQL when <see cref="ClusterSettings.UsesPostgres"/>,
    /// otherwise in this process's memory. The grains are the same in both modes.
    /// </summary>
    public static ISiloBuilder UseLeadScoringStorage(this ISiloBuilder silo, ClusterSettings settings)
    {
        if (settings.UsesPostgres)
        {
            var stores = PostgresConnections.Tuned(settings.PostgresConnectionString!, PostgresConnections.SiloStores);
            var providers = PostgresConnections.Tuned(settings.PostgresConnectionString!, PostgresConnections.OrleansProviders);
            silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(stores));
            silo.Services.AddSingleton<IModelRegistry, PostgresModelRegistry>();
            silo.Services.AddSingleton<ITrainingSnapshotStore, PostgresTrainingSnapshotStore>();
            silo.Services.AddSingleton<LeadReads>();
            silo.Services.AddSingleton<LeadWrites>();
            silo.Services.AddSingleton<IScoreHistoryStore, PostgresScoreHistoryStore>();
            silo.Services.AddSingleton<IExperimentStore, PostgresExperimentStore>();
            silo.Services.AddSingleton<IDriftAlertStore, PostgresDriftAlertStore>();
            silo.Services.AddSingleton<IRetrainingDecisionStore, PostgresRetrainingDecisionStore>();
            silo.Services.AddSingleton<ISystemAudit, PostgresSystemAudit>();
            silo.Services.AddSingleton<ILeadStore, PostgresLeadStore>();
            silo.Services.AddSingleton<IEventOutbox, PostgresEventOutbox>();
            silo.Services.AddSingleton<IWebhookStore, PostgresWebhookStore>();
            silo.Services.AddSingleton<ILeadIndexStore, PostgresLeadIndexStore>();
            silo.Services.AddSingleton<EventRelay>();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<EventRelay>());
            // The streams' subscriptions (PubSubStore) outlive a silo, as the grains' own state does.
            foreach (var name in new[] { GrainStorage.Name, ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME })
            {
                silo.AddAdoNetGrainStorage(name, o => o.Configure<Serializer>((options, serializer) =>
                {
                    options.Invariant = ClusterSettings.AdoNetInvariant;
                    options.ConnectionString = providers;
                    options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                }));
            }
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = ClusterSettings.AdoNetInvariant;
                o.ConnectionString = providers;
            });
        }
        else
        {
            silo.Services.AddSingleton<IModelRegistry, InMemoryModelRegistry>();
            silo.Services.AddSingleton<ITrainingSnapshotStore, InMemoryTrainingSnapshotStore>();
            silo.Services.AddSingleton<IScoreHistoryStore, InMemoryScoreHistoryStore>();
            silo.Services.AddSingleton<IExperimentStore, InMemoryExperimentStore>();
            silo.Services.AddSingleton<IDriftAlertStore, InMemoryDriftAlertStore>();
            silo.Services.AddSingleton<IRetrainingDecisionStore, InMemoryRetrainingDecisionStore>();
            silo.Services.AddSingleton<ISystemAudit, NoSystemAudit>();
            silo.Services.AddSingleton<ILeadStore, MemoryLeadStore>();
            silo.Services.AddSingleton<IEventOutbox, MemoryEventOutbox>();
            silo.Services.AddSingleton<IWebhookStore, MemoryWebhookStore>();
            silo.Services.AddSingleton<ILeadIndexStore, MemoryLeadIndexStore>();
            foreach (var name in new[] { GrainStorage.Name, GrainStorage.Leads, ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME })
            {
                silo.AddMemoryGrainStorage(name, o => o.Configure<Serializer>((options, serializer) =>
                    options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
            }

            silo.UseInMemoryReminderService();
        }

        return silo;
    }

    /// <summary>The whole silo: storage, endpoints, the grains and the dashboard's collectors.</summary>
    public static ISiloBuilder ConfigureLeadScoringSilo(this ISiloBuilder silo, ClusterSettings settings, IConfiguration configuration)
    {
        silo.Services.AddStorageExceptionSerialization();
        if (settings.UsesPostgres)
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = ClusterSettings.AdoNetInvariant;
                o.ConnectionString = PostgresConnections.Tuned(settings.PostgresConnectionString!, PostgresConnections.OrleansProviders);
            });
            // In Kubernetes POD_IP is the address other silos and clients can reach; locally it is loopback.
            var advertised = configuration["LEADSCORING_ADVERTISED_IP"] ?? configuration["POD_IP"];
            var address = string.IsNullOrWhiteSpace(advertised) ? IPAddress.Loopback : IPAddress.Parse(advertised);
            silo.ConfigureEndpoints(address, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
            // A dead silo is declared after three missed probes 3 s apart instead of 5 s: the calls in flight to it
            // are failed then, so it costs seconds instead of half a minute (docs/operations.md, "A silo dies").
            silo.Configure<ClusterMembershipOptions>(o => o.ProbeTimeout = TimeSpan.FromSeconds(3));
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }

        if (configuration["POD_NAME"] is { Length: > 0 } podName)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = podName);
        }

        silo.Services.AddOptions<GrainDirectoryOptions>().Configure<IOptions<DirectoryCacheOptions>>((o, cache) => o.CacheSize = cache.Value.DirectoryCacheSize);

        // Resolved now so that a missing or malformed key stops the silo at start, not at a lead's first write.
        silo.Services.AddSingleton(PersonalDataProtector.FromConfiguration(configuration, required: settings.UsesPostgres));
        return silo
            .UseLeadScoringStorage(settings)
            .AddLeadScoringGrains()
            .AddDashboard();
    }
}
