using LeadScoring.Api.Infrastructure;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Storage;

namespace LeadScoring.Silo.Commands;

/// <summary>
/// Runs one silo until Ctrl-C or SIGTERM, with /health, /health/ready and /health/memory on LEADSCORING_SILO_HTTP_PORT.
/// With --with-api the silo also serves the whole API on LEADSCORING_API_PORT instead (co-hosted): requests call
/// grains in this process, without the hop from a separate API process to a gateway.
/// </summary>
internal static class SiloCommand
{
    public const string WithApi = "--with-api";

    /// <summary>The OpenTelemetry SDK's own switch, read when a meter provider is built.</summary>
    private const string OpenTelemetryDisabled = "OTEL_SDK_DISABLED";

    public static async Task<int> RunAsync(string[] args)
    {
        // The Orleans dashboard reads every Orleans metric each second through an OpenTelemetry meter provider, and
        // one of them walks all of the silo's activations, a cost that grows with the leads (docs/performance.md).
        // Only the dashboard's silo-counters page shows those metrics, so a silo runs without the SDK unless its
        // environment sets OTEL_SDK_DISABLED (docs/configuration.md).
        if (Environment.GetEnvironmentVariable(OpenTelemetryDisabled) is null)
        {
            Environment.SetEnvironmentVariable(OpenTelemetryDisabled, "true");
        }

        var servesApi = args.Contains(WithApi);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args.Where(a => a != WithApi)],
            ContentRootPath = AppContext.BaseDirectory,
        });
        var settings = ClusterSettings.FromConfiguration(builder.Configuration);
        if (settings.UsesPostgres)
        {
            await new SchemaMigrator(ClusterSettings.MigrationConnectionString(builder.Configuration)!).MigrateAsync();
        }
        else
        {
            Console.Error.WriteLine("""
                ****************************************************************************
                * WARNING: MEMORY MODE. LEADSCORING_POSTGRES is not set, so cluster         *
                * membership, grain state and reminders live in this process only.          *
                * NOTHING SURVIVES A RESTART. ./run.sh without --memory keeps its data in a *
                * local PostgreSQL; or set LEADSCORING_POSTGRES to a database of your own.  *
                ****************************************************************************
                """);
        }

        builder.UseOrleans(silo => silo.ConfigureLeadScoringSilo(settings, builder.Configuration));
        if (servesApi)
        {
            builder.AddLeadScoringApi();
        }
        else
        {
            var httpPort = ClusterSettings.Port(builder.Configuration, "LEADSCORING_SILO_HTTP_PORT", 5081);
            builder.WebHost.UseUrls($"http://+:{httpPort}");
        }

        if (InitialModelService.IsEnabled(builder.Configuration))
        {
            builder.Services.AddHostedService<InitialModelService>();
        }

        var app = builder.Build();
        if (servesApi)
        {
            // The API's /health and /health/ready (cluster and database) stand for the silo's.
            app.UseLeadScoringApi();
        }
        else
        {
            app.MapGet("/health", () => TypedResults.Ok(new { status = "healthy" }));
            app.MapGet("/health/ready", (IClusterMembershipService membership, ILocalSiloDetails silo) =>
                membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Active
                    ? Results.Ok(new { status = "ready" })
                    : Results.Json(new { status = "not_ready" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        }

        // What this silo holds: the memory benchmark reads it, operators can too. With collect=true a full
        // compacting collection runs first, so the heap figure is what is live (it pauses the silo: not for probes).
        app.MapGet("/health/memory", async (IGrainFactory grains, ILocalSiloDetails silo, bool? collect) =>
        {
            if (collect == true)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }

            var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo.SiloAddress]);
            var memory = GC.GetGCMemoryInfo();
            return TypedResults.Ok(new
            {
                working_set_bytes = Environment.WorkingSet,
                gc_heap_bytes = memory.HeapSizeBytes,
                gc_committed_bytes = memory.TotalCommittedBytes,
                activations = statistics.Sum(s => s.ActivationCount),
                lead_activations = statistics.Where(s => s.GrainType.Contains("LeadGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount),
                // What the last collection cost: its pause is what every request in flight on this silo waited.
                gc_pause_time_percent = memory.PauseTimePercentage,
                last_gc = new
                {
                    index = memory.Index,
                    generation = memory.Generation,
                    pause_ms = memory.PauseDurations[0].TotalMilliseconds,
                    promoted_bytes = memory.PromotedBytes,
                    compacted = memory.Compacted,
                    fragmented_bytes = memory.FragmentedBytes,
                },
                // The GC's effective settings (heap count, adaptation mode, budgets), whatever set them.
                gc_configuration = GC.GetConfigurationVariables(),
            });
        // A silo's own diagnostic, not the API's contract: the API process does not serve it (docs/operations.md does).
        }).ExcludeFromDescription();
        await app.RunAsync();
        return 0;
    }
}
