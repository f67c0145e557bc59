using LeadScoring.Web.Live;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScoring.Api.Apis;
using LeadScoring.Api.Audit;
using LeadScoring.Api.Events;
using LeadScoring.Api.Options;
using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Web.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Dashboard;

namespace LeadScoring.Api.Infrastructure;

public static class ApiHosting
{
    /// <summary>
    /// Everything the API needs besides a way to reach grains: Kestrel on LEADSCORING_API_PORT, snake_case JSON,
    /// problem details, security, rate limits, audit and the API documents. A front-end process adds
    /// <see cref="AddLeadScoringClusterClient"/>; a silo that serves the API (co-hosted) calls grains directly.
    /// </summary>
    public static WebApplicationBuilder AddLeadScoringApi(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var port = ClusterSettings.Port(configuration, "LEADSCORING_API_PORT", 5080);
        builder.WebHost.UseUrls($"http://+:{port}");
        builder.Services.AddLeadScoringApiOptions();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<RequestLimitOptions>(KestrelLimits.Configure);

        // Serve /health (and 503 from /health/ready) while the Orleans client is still looking for the cluster.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        builder.Services.AddSingleton<ClusterConnection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterConnection>());
        builder.Services.AddSingleton<ScoringMetrics>();
        builder.Services.AddSingleton<UnavailableRetry>();
        builder.Services.AddSingleton(ScoreResponseCache.FromServices);
        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        builder.Services.AddProblemDetails();

        var settings = ClusterSettings.FromConfiguration(configuration);
        builder.Services.AddSingleton(settings);
        if (settings.UsesPostgres)
        {
            // A silo serving the API has registered the same database already: the readiness check shares its pool.
            builder.Services.TryAddSingleton(_ => NpgsqlDataSource.Create(PostgresConnections.Tuned(settings.PostgresConnectionString!, PostgresConnections.ApiReadiness)));
            builder.Services.AddSingleton<IAuditLog>(services => new PostgresAuditLog(
                settings.PostgresConnectionString!, services.GetRequiredService<ILogger<PostgresAuditLog>>()));
        }
        else
        {
            builder.Services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<LeadScoring.Web.Sessions.IWebAudit, WebAppAudit>();
        builder.Services.AddSingleton<ScoresHubFeeds>();
        builder.Services.AddLeadScoringWeb();
        // The web app's styles and scripts are static web assets of its library, served from where the build put them.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddSignalR();
        return builder.AddLeadScoringSecurity().AddLeadScoringRateLimits().AddLeadScoringApiDocs();
    }

    /// <summary>The Orleans client of an API process separate from the silos: it finds their gateways through the cluster's membership.</summary>
    public static WebApplicationBuilder AddLeadScoringClusterClient(this WebApplicationBuilder builder)
    {
        var settings = ClusterSettings.FromConfiguration(builder.Configuration);
        builder.UseOrleansClient(client =>
        {
            if (settings.UsesPostgres)
            {
                client.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = settings.ClusterId;
                    o.ServiceId = settings.ServiceId;
                });
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = ClusterSettings.AdoNetInvariant;
                    o.ConnectionString = PostgresConnections.Tuned(settings.PostgresConnectionString!, PostgresConnections.OrleansProviders);
                });
                // The gateways are read again every 5 s instead of every minute, so a dead silo's gateway is dropped soon.
                client.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            }
            else
            {
                client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
            }

            // A call whose silo died is answered by nothing: after 10 s instead of Orleans' 30 it is a timeout, and
            // the caller's 503 (the batch score, which may take longer, says so on its method).
            client.Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            client.UseConnectionRetryFilter<RetryUntilClusterIsReachable>();
            client.Services.AddStorageExceptionSerialization();
            client.AddDashboard();
            client.AddMemoryStreams(EventStreams.Provider);
        });
        return builder;
    }

    /// <summary>The request pipeline and every endpoint: the same in a front-end process and in a silo that serves the API.</summary>
    public static WebApplication UseLeadScoringApi(this WebApplication app)
    {
        app.UseLeadScoringErrorHandling();
        app.UseRequestTargetLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapHealthApi();
        var api = app.MapGroup("/api").RequireAuthorization().ProducesApiProblems().AddEndpointFilter<RefusesHostileText>().AddEndpointFilter<RequiresClusterConnection>().AddEndpointFilter<CallsForTokenWorkspace>()
            .AddEndpointFilter<AuditTrail>();
        api.MapLeadsApi();
        api.MapLeadIndexApi();
        api.MapImportApi();
        api.MapModelsApi();
        api.MapScoringApi();
        api.MapExperimentsApi();
        api.MapAuditApi();
        api.MapEventsApi();
        api.MapWebhooksApi();
        app.MapHub<ScoresHub>(ScoresHub.Path);
        app.MapLeadScoringApiDocs();
        app.MapSessionsApi();
        app.MapLeadScoringWeb();
        var dashboard = app.MapOrleansDashboard("/dashboard/orleans");
        if (!app.Environment.IsDevelopment())
        {
            dashboard.RequireAuthorization(Policies.AdminInBrowser);
        }

        return app;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new RoundedDoubleConverter());
    }
}
