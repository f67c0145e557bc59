using System.Net.Http.Json;
using LeadScoring.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadScoring.Tests.Web;

/// <summary>
/// One silo and one API process in PostgreSQL mode serving the web app, and Debian's Chromium driven by
/// Playwright (no browser download). Workspace "web-a" holds a few scored leads, "web-b" one of its own.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    public const string WorkspaceA = "web-a";
    public const string WorkspaceB = "web-b";
    public const string PersonalLead = "lead-personal";
    public const string OtherWorkspaceLead = "lead-of-b";
    public const string Email = "ingrid.vasquez@example.org";

    private IPlaywright? _playwright;

    public ProductCluster Cluster { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ProductCluster.StartAsync(siloEnvironment: new Dictionary<string, string>
        {
            ["LEADSCORING_INITIAL_MODEL"] = "simulated",
            ["LEADSCORING_INITIAL_MODEL_WORKSPACES"] = $"{WorkspaceA},{WorkspaceB}",
        });
        using var a = Cluster.CreateApiClient(workspace: WorkspaceA);
        using var b = Cluster.CreateApiClient(workspace: WorkspaceB);
        BaseAddress = a.BaseAddress!;
        await ProductCluster.WaitForChampionAsync(a);
        await ProductCluster.WaitForChampionAsync(b);
        for (var i = 0; i < 5; i++)
        {
            await PostLeadAsync(a, $"lead-{i}", new { industry = "software", company_size = 50 + 100 * i });
            await PostActivitiesAsync(a, $"lead-{i}", Enumerable.Range(0, i + 1).Select(_ => "page_view").ToArray());
        }

        await PostLeadAsync(a, PersonalLead, new { industry = "retail" }, email: Email, name: "Ingrid Vasquez");
        await PostActivitiesAsync(a, PersonalLead, "email_open");
        await PostLeadAsync(b, OtherWorkspaceLead, new { industry = "retail" });

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A one-time sign-in link for the role and workspace, made as the API's own command makes it (a code signed with the key).</summary>
    public string SignInLink(string role, string workspace)
    {
        var claims = TestTokens.Claims(role, workspace, TimeSpan.FromMinutes(10));
        claims["aud"] = "leadscoring-signin";
        claims["jti"] = Guid.NewGuid().ToString("N");
        return new Uri(BaseAddress, $"/app/signin?code={TestTokens.Sign(claims)}").ToString();
    }

    public static async Task PostLeadAsync(HttpClient api, string leadId, object attributes, string? email = null, string? name = null) =>
        (await api.PostAsJsonAsync("/api/leads", new { lead_id = leadId, email, name, attributes })).EnsureSuccessStatusCode();

    public static async Task PostActivitiesAsync(HttpClient api, string leadId, params string[] types) =>
        (await api.PostAsJsonAsync($"/api/leads/{leadId}/activities", new
        {
            activities = types.Select(type => new { type, activity_id = Guid.NewGuid().ToString("N"), occurred_at = DateTimeOffset.UtcNow }),
        })).EnsureSuccessStatusCode();

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Cluster.DisposeAsync();
    }
}
