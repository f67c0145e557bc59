using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScoring.Api.Audit;
using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using Npgsql;
using Orleans.Dashboard;

namespace LeadScoring.Api.Infrastructure;

public static class ApiHosting
{
    /// <summary>Kestrel on LEADSCORING_API_PORT, snake_case JSON, problem details and the Orleans client.</summary>
    public static WebApplicationBuilder AddLeadScoringApi(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var port = ClusterSettings.Port(configuration, "LEADSCORING_API_PORT", 5080);
        builder.WebHost.UseUrls($"http://+:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestLimits.FromConfiguration(configuration).MaxBodyBytes + 1);

        // Serve /health (and 503 from /health/ready) while the Orleans client is still looking for the cluster.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        builder.Services.AddSingleton<ClusterConnection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterConnection>());
        builder.Services.AddSingleton(RequestLimits.FromConfiguration(configuration));
        builder.Services.AddSingleton<ScoringMetrics>();
        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        builder.Services.AddProblemDetails();

        var settings = ClusterSettings.FromConfiguration(configuration);
        builder.Services.AddSingleton(settings);
        if (settings.UsesPostgres)
        {
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(PostgresConnections.Tuned(settings.PostgresConnectionString!)));
            builder.Services.AddSingleton<IAuditLog>(services => new PostgresAuditLog(
                settings.PostgresConnectionString!, services.GetRequiredService<ILogger<PostgresAuditLog>>()));
        }
        else
        {
            builder.Services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditTrail>();

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
                    o.ConnectionString = settings.PostgresConnectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
            }

            client.UseConnectionRetryFilter<RetryUntilClusterIsReachable>();
            client.AddDashboard();
        });
        return builder;
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
