using LeadScoring.Api.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>
/// The API hosted inside the test process, configured as the API process is, against a <see cref="ProductCluster"/>'s
/// silos over real ports, with a <see cref="ManualClock"/> in place of the system clock: token expiry and rate-limit
/// refills are tested by moving the clock, not by sleeping.
/// </summary>
public sealed class InProcessApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessApi(WebApplication app, ManualClock clock, Uri baseAddress)
    {
        _app = app;
        Clock = clock;
        BaseAddress = baseAddress;
    }

    public ManualClock Clock { get; }

    /// <summary>The API's services: its endpoints, its options.</summary>
    public IServiceProvider Services => _app.Services;

    public Uri BaseAddress { get; }

    /// <param name="settings">Configuration as the API process reads it from its environment (variable names).</param>
    public static async Task<InProcessApi> StartAsync(ProductCluster cluster, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = ProductProcess.FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "LeadScoring.Api",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Only what the test means: nothing of the runner's environment reaches the API's configuration.
        builder.Configuration.Sources.Clear();
        var configuration = new Dictionary<string, string?>(cluster.SiloEnvironment().Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
        {
            ["LEADSCORING_API_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LEADSCORING_JWT_KEY"] = TestTokens.KeyBase64,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            configuration[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.AddLeadScoringApi().AddLeadScoringClusterClient();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        builder.Services.AddSingleton<TimeProvider>(clock);
        var app = builder.Build();
        app.UseLeadScoringApi();
        await app.StartAsync();
        var api = new InProcessApi(app, clock, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        await Eventually.True(async () =>
        {
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                return ready.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the in-process API to be ready");
        return api;
    }

    /// <summary>A client carrying <paramref name="token"/>, or a fresh token for the role and workspace.</summary>
    public HttpClient CreateClient(string role = "admin", string workspace = "default", string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token ?? TestTokens.Create(role, workspace));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
