using LeadScoring.Grains.Drift;
using LeadScoring.Grains.Experiments;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.PersonalData;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadScoring.Grains;

public static class LeadScoringSiloBuilderExtensions
{
    /// <summary>Registers what the grains need besides storage, which the host chooses.</summary>
    public static ISiloBuilder AddLeadScoringGrains(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddLeadScoringOptions();
        // Hosts whose data outlives the process register a protector with the configured key first (see the silo host).
        silo.Services.TryAddSingleton(services => PersonalDataProtector.FromConfiguration(services.GetRequiredService<IConfiguration>(), required: false));
        silo.Services.TryAddSingleton<ModelCache>();
        silo.Services.TryAddSingleton<ExperimentDirectory>();
        silo.Services.TryAddSingleton<LeadGrainServices>();
        silo.AddGrainService<ScoringCacheService>();
        silo.Services.TryAddSingleton<ScoringCaches>();
        silo.Services.TryAddSingleton<LocalDriftAggregators>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<LocalDriftAggregators>());
        // Durability is the outbox's: the streams only carry what it publishes (docs/architecture.md, "Events").
        silo.AddMemoryStreams(EventStreams.Provider);
        silo.Services.TryAddSingleton<WebhookSender>();
        silo.AddIncomingGrainCallFilter<WorkspaceIsolationFilter>();
        silo.AddIncomingGrainCallFilter<StorageFailureFilter>();
        return silo;
    }
}
