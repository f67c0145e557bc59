using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>
/// Silo and API processes in PostgreSQL mode on a fresh database, talking over real ports: the system as
/// ./run.sh runs it.
/// </summary>
public sealed class ProductCluster : IAsyncDisposable
{
    private readonly List<(Dictionary<string, string> Environment, int HttpPort)> _siloSpecs = [];
    private readonly List<(Dictionary<string, string> Environment, int HttpPort)> _apiSpecs = [];
    private readonly List<ProductProcess> _silos = [];
    private readonly List<ProductProcess> _apis = [];

    private ProductCluster(TestDatabase database, string clusterId)
    {
        Database = database;
        ClusterId = clusterId;
    }

    public TestDatabase Database { get; }

    public string ClusterId { get; }

    public IReadOnlyList<int> SiloPorts => [.. _siloSpecs.Select(s => int.Parse(s.Environment["LEADSCORING_SILO_PORT"], System.Globalization.CultureInfo.InvariantCulture))];

    public IReadOnlyList<int> GatewayPorts => [.. _siloSpecs.Select(s => int.Parse(s.Environment["LEADSCORING_GATEWAY_PORT"], System.Globalization.CultureInfo.InvariantCulture))];

    public static async Task<ProductCluster> StartAsync(
        int silos = 1, int apis = 1, IReadOnlyDictionary<string, string>? apiEnvironment = null, IReadOnlyDictionary<string, string>? siloEnvironment = null,
        string? postgresServer = null)
    {
        var cluster = new ProductCluster(await TestDatabase.CreateAsync(postgresServer), $"test-{Guid.NewGuid():N}"[..20]);
        await cluster.Database.MigrateAsync();
        for (var i = 0; i < silos; i++)
        {
            var httpPort = ProductProcess.FreePort();
            cluster._siloSpecs.Add((new Dictionary<string, string>(cluster.Common())
            {
                ["LEADSCORING_SILO_PORT"] = Port(),
                ["LEADSCORING_GATEWAY_PORT"] = Port(),
                ["LEADSCORING_SILO_HTTP_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["LEADSCORING_ADVERTISED_IP"] = "127.0.0.1",
            }, httpPort));
            foreach (var (key, value) in siloEnvironment ?? new Dictionary<string, string>())
            {
                cluster._siloSpecs[^1].Environment[key] = value;
            }
        }

        for (var i = 0; i < apis; i++)
        {
            var apiPort = ProductProcess.FreePort();
            var environment = new Dictionary<string, string>(cluster.Common())
            {
                ["LEADSCORING_API_PORT"] = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in apiEnvironment ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }

            cluster._apiSpecs.Add((environment, apiPort));
        }

        await cluster.StartProcessesAsync();
        return cluster;
    }

    /// <summary>A client of API process <paramref name="index"/> carrying a token for the role and workspace; no token when role is null.</summary>
    public HttpClient CreateApiClient(int index = 0, string? role = "admin", string workspace = WorkspaceKey.DefaultWorkspace)
    {
        var client = new HttpClient { BaseAddress = _apis[index].HealthBase, Timeout = TimeSpan.FromSeconds(30) };
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create(role, workspace));
        }

        return client;
    }

    /// <summary>The environment a further silo of this cluster needs besides its ports.</summary>
    public IReadOnlyDictionary<string, string> SiloEnvironment() => new Dictionary<string, string>(Common()) { ["LEADSCORING_ADVERTISED_IP"] = "127.0.0.1" };

    /// <summary>A client of silo process <paramref name="index"/>'s own HTTP endpoints (health, memory).</summary>
    public HttpClient CreateSiloClient(int index = 0) => new() { BaseAddress = _silos[index].HealthBase, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Each process's distinct errors (a "fail:" line and the two after it), for failure messages.</summary>
    public string Errors() => string.Join('\n', _silos.Concat(_apis).SelectMany(process =>
    {
        var lines = process.Output.Split('\n');
        return Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith("fail:", StringComparison.Ordinal))
            .Select(i => string.Join(" | ", lines.Skip(i).Take(3).Select(line => line.Trim())))
            .Distinct().Take(10).Select(error => $"{process.Name}: {error}");
    }));

    /// <summary>Kills silo process <paramref name="index"/> (SIGKILL); <see cref="RestartAsync"/> starts it again.</summary>
    public Task KillSiloAsync(int index) => _silos[index].KillAsync();

    /// <summary>Waits until the API's workspace has a champion (the initial model a silo trains as it starts).</summary>
    public static Task WaitForChampionAsync(HttpClient api) => Eventually.True(async () =>
    {
        using var response = await api.GetAsync("/api/ai/scoring/models");
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"champion\":\"", StringComparison.Ordinal);
    }, "a champion model", TimeSpan.FromMinutes(5));

    /// <summary>
    /// Waits until every committed event is published and <paramref name="workspace"/>'s lead index has applied
    /// them: what comes after sees only its own changes in the tables that follow the events.
    /// </summary>
    public Task WaitForEventsAppliedAsync(string workspace = WorkspaceKey.DefaultWorkspace) => Eventually.True(async () =>
        await Database.CountAsync($"""
            SELECT count(*) FROM event_outbox
             WHERE position IS NULL
                OR (workspace = '{workspace}' AND position > coalesce((SELECT indexed_through FROM lead_index_progress WHERE workspace = '{workspace}'), 0))
            """) == 0, $"{workspace}'s events published and applied by its lead index");

    /// <summary>Stops silo process <paramref name="index"/> as Kubernetes does (SIGTERM) and returns what it wrote.</summary>
    public async Task<string> StopSiloAsync(int index)
    {
        await _silos[index].StopAsync();
        return _silos[index].Output;
    }

    /// <summary>Kills API process <paramref name="index"/> (SIGKILL).</summary>
    public Task KillApiAsync(int index) => _apis[index].KillAsync();

    /// <summary>Starts API process <paramref name="index"/> again, on the same port, and waits until it is ready.</summary>
    public async Task StartApiAsync(int index)
    {
        await _apis[index].DisposeAsync();
        var (environment, apiPort) = _apiSpecs[index];
        _apis[index] = ProductProcess.StartApi(environment, apiPort);
        await _apis[index].WaitUntilReadyAsync();
    }

    /// <summary>Restarts every process with <paramref name="siloVariables"/> in the silos' environment from now on (a data key lost or rotated).</summary>
    public Task RestartAsync(IReadOnlyDictionary<string, string> siloVariables)
    {
        foreach (var (environment, _) in _siloSpecs)
        {
            foreach (var (name, value) in siloVariables)
            {
                environment[name] = value;
            }
        }

        return RestartAsync();
    }

    /// <summary>Stops every process (SIGTERM) and starts them again on the same database and ports.</summary>
    public async Task RestartAsync()
    {
        await StopProcessesAsync();
        await StartProcessesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessesAsync();
        await Database.DisposeAsync();
    }

    private async Task StartProcessesAsync()
    {
        // The first silo applies the migrations; the others wait on the same advisory lock.
        foreach (var (environment, httpPort) in _siloSpecs)
        {
            _silos.Add(ProductProcess.StartSilo(environment, httpPort));
        }

        await Task.WhenAll(_silos.Select(s => s.WaitUntilReadyAsync()));
        foreach (var (environment, apiPort) in _apiSpecs)
        {
            _apis.Add(ProductProcess.StartApi(environment, apiPort));
        }

        await Task.WhenAll(_apis.Select(a => a.WaitUntilReadyAsync()));
    }

    private async Task StopProcessesAsync()
    {
        await Task.WhenAll(_apis.Select(a => a.DisposeAsync().AsTask()));
        await Task.WhenAll(_silos.Select(s => s.DisposeAsync().AsTask()));
        _apis.Clear();
        _silos.Clear();
    }

    private Dictionary<string, string> Common() => new()
    {
        // As in production: the processes connect as a role that owns nothing; migrations run as the owner.
        [ClusterSettings.PostgresVariable] = Database.RuntimeConnectionString,
        [ClusterSettings.OwnerVariable] = Database.ConnectionString,
        ["LEADSCORING_CLUSTER_ID"] = ClusterId,
        ["LEADSCORING_SERVICE_ID"] = ClusterId,
    };

    private static string Port() => ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
