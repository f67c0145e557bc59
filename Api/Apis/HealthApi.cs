using LeadScoring.Api.Infrastructure;
using Npgsql;

namespace LeadScoring.Api.Apis;

public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Checks);

public static class HealthApi
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthResponse("healthy", new Dictionary<string, string>())))
            .Describe("GetHealth", "Alive while the process runs").WithTags("Health");
        app.MapGet("/health/ready", Ready).Describe("GetReadiness", "Ready when a silo answers and, in PostgreSQL mode, the database does", 503)
            .Produces<HealthResponse>().WithTags("Health");
        return app;
    }

    /// <summary>Ready when at least one silo answers and, in PostgreSQL mode, the database does.</summary>
    public static async Task<IResult> Ready(IClusterClient cluster, ClusterConnection connection, IServiceProvider services)
    {
        var checks = new Dictionary<string, string>
        {
            ["cluster"] = !connection.IsConnected ? "connecting" : await Probe(async token =>
            {
                var silos = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(token);
                return silos.Count > 0 ? null : "no active silo";
            }),
        };

        if (services.GetService<NpgsqlDataSource>() is { } database)
        {
            checks["database"] = await Probe(async token =>
            {
                await using var command = database.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(token);
                return null;
            });
        }

        var ready = checks.Values.All(v => v == "ok");
        var body = new HealthResponse(ready ? "ready" : "not_ready", checks);
        return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<string> Probe(Func<CancellationToken, Task<string?>> check)
    {
        using var timeout = new CancellationTokenSource(CheckTimeout);
        try
        {
            return await check(timeout.Token) ?? "ok";
        }
        catch (Exception e)
        {
            return $"unavailable: {e.GetType().Name}";
        }
    }
}
