using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace LeadScoring.Tests;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ClusterProcessTests
{
    [Fact]
    public async Task Leads_activities_and_outcomes_survive_a_restart_of_silo_and_api()
    {
        await using var cluster = await ProductCluster.StartAsync();
        var occurredAt = DateTimeOffset.UtcNow.AddMinutes(-30);
        using (var api = cluster.CreateApiClient())
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/leads", new
            {
                lead_id = "durable-1",
                attributes = new { industry = "software", company_size = 250, partner = true },
                email = "ops@durable.example",
                consent = new { profiling = true, marketing = true },
            })).StatusCode);
            var accepted = await api.PostAsJsonAsync("/api/leads/durable-1/activities", new
            {
                activities = new object[]
                {
                    new { activity_id = "e1", type = "email_open", occurred_at = occurredAt },
                    new { activity_id = "e2", type = "demo_request", occurred_at = occurredAt.AddMinutes(5), properties = new { channel = "web" } },
                },
            });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            (await api.PostAsJsonAsync("/api/leads/durable-1/outcome", new { converted = true, deal_value = 12000.5 })).EnsureSuccessStatusCode();
        }

        await cluster.RestartAsync();

        using var restarted = cluster.CreateApiClient();
        var lead = await restarted.GetFromJsonAsync<JsonElement>("/api/leads/durable-1");
        Assert.Equal("software", lead.GetProperty("attributes").GetProperty("industry").GetString());
        Assert.Equal(250, lead.GetProperty("attributes").GetProperty("company_size").GetDouble());
        Assert.True(lead.GetProperty("attributes").GetProperty("partner").GetBoolean());
        Assert.Equal("ops@durable.example", lead.GetProperty("email").GetString());
        Assert.True(lead.GetProperty("consent").GetProperty("marketing").GetBoolean());
        Assert.Equal(2, lead.GetProperty("activity_count").GetInt64());
        Assert.Equal(["e2", "e1"], lead.GetProperty("recent_activities").EnumerateArray().Select(a => a.GetProperty("activity_id").GetString()));
        Assert.Equal("web", lead.GetProperty("recent_activities")[0].GetProperty("properties").GetProperty("channel").GetString());
        Assert.Equal(12000.5, lead.GetProperty("outcome").GetProperty("deal_value").GetDouble());
        var aggregates = lead.GetProperty("aggregates").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.Equal(1, aggregates["demo_request_count_total"].GetProperty("value").GetDouble());
        Assert.Equal("interaction", aggregates["demo_request_count_total"].GetProperty("dimension").GetString());
        Assert.Equal("demo_request", aggregates["last_activity_type"].GetProperty("value").GetString());

        // Retried activities stay idempotent across the restart.
        var retry = await restarted.PostAsJsonAsync("/api/leads/durable-1/activities", new
        {
            activities = new object[] { new { activity_id = "e1", type = "email_open", occurred_at = occurredAt } },
        });
        var counts = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, counts.GetProperty("accepted").GetInt32());
        Assert.Equal(1, counts.GetProperty("duplicate").GetInt32());

        // What the silo holds, for operators and the memory benchmark: the lead is active, and each collect=true
        // runs a collection of its own, which the last-collection figures then describe.
        using var silo = cluster.CreateSiloClient();
        var first = await silo.GetFromJsonAsync<JsonElement>("/health/memory?collect=true");
        var second = await silo.GetFromJsonAsync<JsonElement>("/health/memory?collect=true");
        Assert.True(second.GetProperty("lead_activations").GetInt32() >= 1);
        Assert.True(second.GetProperty("gc_heap_bytes").GetInt64() > 0);
        Assert.True(second.GetProperty("last_gc").GetProperty("index").GetInt64() > first.GetProperty("last_gc").GetProperty("index").GetInt64());
        Assert.True(second.GetProperty("last_gc").GetProperty("pause_ms").GetDouble() > 0);
    }

    /// <summary>
    /// A silo stopped as Kubernetes stops it, with leads scored on it moments before: it hands its drift counts on
    /// and leaves without an error in its log, and the other silo serves its leads.
    /// </summary>
    [Fact]
    public async Task A_silo_stopped_gracefully_logs_no_errors_and_the_other_serves_its_leads()
    {
        await using var cluster = await ProductCluster.StartAsync(silos: 2,
            siloEnvironment: new Dictionary<string, string> { ["LEADSCORING_INITIAL_MODEL"] = "simulated" });
        using var api = cluster.CreateApiClient();
        await ProductCluster.WaitForChampionAsync(api);
        var leads = Enumerable.Range(0, 40).Select(i => new { lead_id = $"stopping-{i}" }).ToArray();
        foreach (var lead in leads)
        {
            (await api.PostAsJsonAsync("/api/leads", new { lead.lead_id, attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
        }

        Assert.Equal(40, await ScoredAsync(api, leads));
        var output = await cluster.StopSiloAsync(1);

        // Errors of Orleans' stream machinery are not the silo's: its pulling agents log the calls a stop cuts short
        // (a dequeue cancelled, a delivery to a deactivating consumer), whenever the stop meets one in flight. The
        // live pushes they carry are best effort (docs/operations.md); everything else must stop without an error.
        var lines = output.Split('\n');
        var errors = Enumerable.Range(0, lines.Length)
            .Where(i => lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].Contains("could not be flushed", StringComparison.Ordinal))
            .Where(i => !lines[i].StartsWith("fail: Orleans.Streams", StringComparison.Ordinal) && !lines[i].StartsWith("fail: Orleans.Providers.MemoryAdapterReceiver", StringComparison.Ordinal))
            .Select(i => string.Join(" | ", lines.Skip(i).Take(3)))
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(40, await ScoredAsync(api, leads));

        static async Task<int> ScoredAsync(HttpClient api, object[] leads)
        {
            using var response = await api.PostAsJsonAsync("/api/ai/scoring/score/batch", new { leads });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("data").GetProperty("results").GetArrayLength();
        }
    }

    [Fact]
    public async Task A_lead_written_through_one_silos_gateway_is_read_through_the_other()
    {
        await using var cluster = await ProductCluster.StartAsync(silos: 2, apis: 0);
        Assert.Equal(2, await cluster.Database.CountAsync(
            $"SELECT count(*) FROM orleansmembershiptable WHERE status = 3 AND deploymentid = '{cluster.ClusterId}'"));

        using var first = await ConnectAsync(cluster, cluster.GatewayPorts[0]);
        using var second = await ConnectAsync(cluster, cluster.GatewayPorts[1]);
        var key = WorkspaceKey.Format(WorkspaceKey.DefaultWorkspace, "two-silo-lead");
        var written = await first.Services.GetRequiredService<IClusterClient>().GetGrain<ILeadGrain>(key).Upsert(new LeadUpsert(
            new Dictionary<string, LeadAttributeValue?> { ["region"] = LeadAttributeValue.OfText("apac") }, null, null, null));
        var read = await second.Services.GetRequiredService<IClusterClient>().GetGrain<ILeadGrain>(key).GetSnapshot();

        await first.StopAsync();
        await second.StopAsync();

        Assert.Equal(CommandStatus.Created, written.Status);
        Assert.NotNull(read);
        Assert.Equal("apac", read.Attributes["region"].Text);
    }

    [Fact]
    public async Task A_silo_started_with_the_api_serves_it_and_reaches_leads_on_the_other_silos()
    {
        await using var cluster = await ProductCluster.StartAsync(silos: 1, apis: 0);
        var apiPort = ProductProcess.FreePort();
        var cohostedGateway = ProductProcess.FreePort();
        await using var cohosted = ProductProcess.StartSiloWithApi(new Dictionary<string, string>(cluster.SiloEnvironment())
        {
            ["LEADSCORING_SILO_PORT"] = Port(ProductProcess.FreePort()),
            ["LEADSCORING_GATEWAY_PORT"] = Port(cohostedGateway),
            // This silo opts back into the dashboard's Orleans counters; the other keeps the default (none).
            ["OTEL_SDK_DISABLED"] = "false",
        }, apiPort);
        await cohosted.WaitUntilReadyAsync();
        using var api = new HttpClient { BaseAddress = cohosted.HealthBase, Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create());

        Assert.Equal(2, await cluster.Database.CountAsync(
            $"SELECT count(*) FROM orleansmembershiptable WHERE status = 3 AND deploymentid = '{cluster.ClusterId}'"));
        var ready = await api.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("ok", ready.GetProperty("checks").GetProperty("cluster").GetString());
        Assert.Equal("ok", ready.GetProperty("checks").GetProperty("database").GetString());

        // Leads are placed on either silo; every one is written and read back through this silo's API.
        const int leads = 24;
        for (var i = 0; i < leads; i++)
        {
            using var created = await api.PostAsJsonAsync("/api/leads", new
            {
                lead_id = $"cohosted-{i}",
                attributes = new { industry = "software", company_size = 10 + i },
                consent = new { profiling = true },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        for (var i = 0; i < leads; i++)
        {
            var lead = await api.GetFromJsonAsync<JsonElement>($"/api/leads/cohosted-{i}");
            Assert.Equal(10 + i, lead.GetProperty("attributes").GetProperty("company_size").GetDouble());
        }

        // The same pipeline as the separate API: authentication, problem details, the scoring rules.
        using var anonymous = new HttpClient { BaseAddress = cohosted.HealthBase };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/leads/cohosted-0")).StatusCode);
        using var noModel = await api.GetAsync("/api/ai/scoring/score/cohosted-0");
        Assert.Equal(HttpStatusCode.Conflict, noModel.StatusCode);
        Assert.Equal("application/problem+json", noModel.Content.Headers.ContentType?.MediaType);

        // Operators' dashboard, for admins only, reads this silo's own figures.
        using var dashboard = await api.GetAsync("/dashboard/orleans/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);
        using var analyst = new HttpClient { BaseAddress = cohosted.HealthBase };
        analyst.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create("analyst"));
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/dashboard/orleans/")).StatusCode);

        // The web app too: a sign-in link starts a session, and the session opens the pages and their script.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = cohosted.HealthBase };
        var code = TestTokens.Claims("analyst");
        code["aud"] = "leadscoring-signin";
        code["jti"] = Guid.NewGuid().ToString("N");
        using var signIn = await browser.GetAsync($"/app/signin?code={TestTokens.Sign(code)}");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("leadscoring_session=", StringComparison.Ordinal)).Split(';')[0];
        using var leadsPage = new HttpRequestMessage(HttpMethod.Get, "/app/leads") { Headers = { { "Cookie", session } } };
        using var page = await browser.SendAsync(leadsPage);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<h1>Leads</h1>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/_framework/blazor.web.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/app/leads")).StatusCode);

        // The dashboard's counters come from OpenTelemetry, which a silo runs only when asked (one of the counters
        // walks every activation each second): the silo that asked reports them, the other none.
        var hosts = (await api.GetFromJsonAsync<JsonElement>("/dashboard/orleans/DashboardCounters")).GetProperty("hosts").EnumerateArray().ToList();
        Assert.Equal(2, hosts.Count);
        var asked = hosts.Single(h => h.GetProperty("proxyPort").GetInt32() == cohostedGateway).GetProperty("siloAddress").GetString();
        var notAsked = hosts.Single(h => h.GetProperty("proxyPort").GetInt32() != cohostedGateway).GetProperty("siloAddress").GetString();
        async Task<int> CountersOf(string? silo) =>
            (await api.GetFromJsonAsync<JsonElement>($"/dashboard/orleans/SiloCounters/{Uri.EscapeDataString(silo!)}")).GetArrayLength();
        await Eventually.Until(() => CountersOf(asked), count => count > 0, "the asking silo's dashboard counters");
        Assert.Equal(0, await CountersOf(notAsked));

        // The silo's own figures are served on the API's port.
        var memory = await api.GetFromJsonAsync<JsonElement>("/health/memory");
        using var siloClient = cluster.CreateSiloClient();
        var plainSilo = await siloClient.GetFromJsonAsync<JsonElement>("/health/memory");
        Assert.Equal(leads, memory.GetProperty("lead_activations").GetInt32() + plainSilo.GetProperty("lead_activations").GetInt32());
    }

    [Fact]
    public async Task In_memory_mode_the_api_is_live_at_once_and_ready_once_its_silo_answers()
    {
        var clusterId = $"memory-{Guid.NewGuid():N}";
        var common = new Dictionary<string, string>
        {
            ["LEADSCORING_GATEWAY_PORT"] = Port(ProductProcess.FreePort()),
            ["LEADSCORING_CLUSTER_ID"] = clusterId,
            ["LEADSCORING_SERVICE_ID"] = clusterId,
        };
        var apiPort = ProductProcess.FreePort();
        await using var api = ProductProcess.StartApi(new Dictionary<string, string>(common) { ["LEADSCORING_API_PORT"] = Port(apiPort) }, apiPort);
        await api.WaitForAsync("/health");
        using var http = new HttpClient { BaseAddress = api.HealthBase };
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create());

        using var notReady = await http.GetAsync("/health/ready");
        using var early = await http.PostAsJsonAsync("/api/leads", new { lead_id = "early" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.NotEqual("ok", (await notReady.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("cluster").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
        Assert.True(early.Headers.RetryAfter is not null);

        var siloHttpPort = ProductProcess.FreePort();
        await using var silo = ProductProcess.StartSilo(new Dictionary<string, string>(common)
        {
            ["LEADSCORING_SILO_PORT"] = Port(ProductProcess.FreePort()),
            ["LEADSCORING_SILO_HTTP_PORT"] = Port(siloHttpPort),
        }, siloHttpPort);
        await api.WaitUntilReadyAsync();

        using var created = await http.PostAsJsonAsync("/api/leads", new { lead_id = "later" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("MEMORY MODE", silo.Output, StringComparison.Ordinal);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An Orleans client that knows only one gateway, as another service using the contract might be set up.</summary>
    private static async Task<IHost> ConnectAsync(ProductCluster cluster, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ClusterId;
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
