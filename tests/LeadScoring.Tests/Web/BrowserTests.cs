using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadScoring.Tests.Web;

/// <summary>
/// The web app in a real browser against real processes: signing in with a one-time link, the Leads and Lead pages,
/// a score that changes on the open page when the API takes an activity, roles, workspaces and signing out.
/// </summary>
[Trait("Category", "Browser")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public sealed class BrowserTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    // Generous: a browser, a circuit and a cluster share two cores; the latency itself is a benchmark figure.
    private const float Timeout = 30_000;

    [Fact]
    public async Task An_admin_signs_in_with_a_link_and_sees_a_lead_s_score_change_live_when_the_API_takes_an_activity()
    {
        await using var context = await web.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(web.SignInLink("admin", WebAppFixture.WorkspaceA));
        Assert.Equal("/app", new Uri(page.Url).AbsolutePath);
        Assert.True(response!.Ok);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Leads" }).WaitForAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("tr[data-lead='lead-4']")).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.Equal(6, await page.Locator("tbody tr").CountAsync());

        // A click before the circuit connects can be lost in the re-render that makes the page interactive.
        await page.Locator("main[data-interactive='true']").WaitForAsync(new() { Timeout = Timeout });
        await page.Locator("a", new() { HasText = "lead-2" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Lead lead-2" }).WaitForAsync(new() { Timeout = Timeout });
        var summary = page.Locator(".history-summary");
        await Assertions.Expect(summary).ToContainTextAsync("scores from", new() { Timeout = Timeout });
        var historyBefore = await summary.InnerTextAsync();
        var scoreBefore = await page.Locator(".gauge-score").InnerTextAsync();
        var url = page.Url;

        using var api = web.Cluster.CreateApiClient(workspace: WebAppFixture.WorkspaceA);
        await WebAppFixture.PostActivitiesAsync(api, "lead-2", "demo_request", "meeting", "email_reply", "webinar_attended");

        await Assertions.Expect(summary).Not.ToHaveTextAsync(historyBefore, new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator(".gauge-score")).Not.ToHaveTextAsync(scoreBefore, new() { Timeout = Timeout });
        Assert.Equal(url, page.Url);
        Assert.Equal(2, await page.Locator(".admin-link").CountAsync());

        // The session opens the operators' pages an admin's token opens: the Orleans dashboard and the API reference.
        var dashboard = await page.GotoAsync(new Uri(web.BaseAddress, "/dashboard/orleans/").ToString());
        Assert.Equal((int)HttpStatusCode.OK, dashboard!.Status);
        var reference = await page.GotoAsync(new Uri(web.BaseAddress, "/docs").ToString());
        Assert.Equal((int)HttpStatusCode.OK, reference!.Status);
    }

    [Fact]
    public async Task An_analyst_sees_personal_data_masked_and_no_admin_links()
    {
        await using var context = await web.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(web.SignInLink("analyst", WebAppFixture.WorkspaceA));

        await page.GotoAsync(new Uri(web.BaseAddress, $"/app/leads/{WebAppFixture.PersonalLead}").ToString());
        var personal = page.Locator("dd.personal");
        await Assertions.Expect(personal).ToHaveTextAsync(["I*** V***", "i***@example.org"], new() { Timeout = Timeout });
        Assert.DoesNotContain(WebAppFixture.Email, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".admin-link").CountAsync());
    }

    [Fact]
    public async Task An_analyst_has_no_admin_buttons_and_no_admin_pages()
    {
        await using var context = await web.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(web.SignInLink("analyst", WebAppFixture.WorkspaceA));

        await page.GotoAsync(new Uri(web.BaseAddress, "/app/models").ToString());
        await Assertions.Expect(page.Locator("tr[data-version='v1']")).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Promote" }).CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Roll back the champion" }).CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { Name = "Train on an export" }).CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).CountAsync());

        var webhooks = await page.GotoAsync(new Uri(web.BaseAddress, "/app/webhooks").ToString());
        Assert.Equal((int)HttpStatusCode.Forbidden, webhooks!.Status);
        Assert.Equal("/app/forbidden", new Uri(page.Url).AbsolutePath);
        var dashboard = await page.GotoAsync(new Uri(web.BaseAddress, "/dashboard/orleans/").ToString());
        Assert.Equal((int)HttpStatusCode.Forbidden, dashboard!.Status);
    }

    [Fact]
    public async Task An_admin_promotes_a_version_after_confirming_and_the_API_and_the_audit_trail_agree()
    {
        var (exitCode, stdout, stderr) = await SiloCommandLine.RunAsync($"simulated-model --workspace {WebAppFixture.WorkspaceA} --seed 11",
            new Dictionary<string, string>(web.Cluster.SiloEnvironment()));
        Assert.True(exitCode == 0, stdout + stderr);
        await using var context = await web.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(web.SignInLink("admin", WebAppFixture.WorkspaceA));
        await page.GotoAsync(new Uri(web.BaseAddress, "/app/models").ToString());
        await page.Locator("main[data-interactive='true']").WaitForAsync(new() { Timeout = Timeout });

        var candidate = page.Locator("tr[data-version='v2']");
        await candidate.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync(new() { Timeout = Timeout });
        await page.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("v2 is the champion.", new() { Timeout = Timeout });

        using var api = web.Cluster.CreateApiClient(workspace: WebAppFixture.WorkspaceA);
        Assert.Equal("v2", (await api.GetFromJsonAsync<JsonElement>("/api/ai/scoring/models")).GetProperty("champion").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back the champion" }).ClickAsync();
        await page.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("v1 is the champion again.", new() { Timeout = Timeout });
        var audit = (await api.GetFromJsonAsync<JsonElement>("/api/audit?action=model.promote")).GetProperty("data").GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(audit, e => e.GetProperty("subject").GetString() == "test-admin" && e.GetProperty("target").GetString() == "model:v2" && e.GetProperty("status").GetInt32() == 200);
    }

    [Fact]
    public async Task A_lead_of_another_workspace_is_not_reachable_by_its_address()
    {
        await using var context = await web.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(web.SignInLink("admin", WebAppFixture.WorkspaceA));

        await page.GotoAsync(new Uri(web.BaseAddress, $"/app/leads/{WebAppFixture.OtherWorkspaceLead}").ToString());

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"There is no lead \"{WebAppFixture.OtherWorkspaceLead}\"", new() { Timeout = Timeout });
        Assert.Equal(0, await page.Locator(".score-gauge").CountAsync());
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_a_link_opens_one_session_only()
    {
        await using var context = await web.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var link = web.SignInLink("admin", WebAppFixture.WorkspaceA);
        await page.GotoAsync(link);
        var session = (await context.CookiesAsync()).Single(c => c.Name == "leadscoring_session");
        Assert.True(session.HttpOnly);
        Assert.True(session.Secure);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);

        await page.Locator("main[data-interactive='true']").WaitForAsync(new() { Timeout = Timeout });
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/app/signed-out", new() { Timeout = Timeout });
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "leadscoring_session");

        var again = await page.GotoAsync(new Uri(web.BaseAddress, "/app/leads").ToString());
        Assert.Equal("/app/signin", new Uri(page.Url).AbsolutePath);
        Assert.Equal((int)HttpStatusCode.Unauthorized, again!.Status);

        var reused = await page.GotoAsync(link);
        Assert.Equal((int)HttpStatusCode.BadRequest, reused!.Status);
        Assert.Contains("used already", await page.ContentAsync(), StringComparison.Ordinal);

        using var api = web.Cluster.CreateApiClient(workspace: WebAppFixture.WorkspaceA);
        var entries = (await api.GetFromJsonAsync<JsonElement>("/api/audit?subject=test-admin&limit=1000")).GetProperty("data").GetProperty("entries")
            .EnumerateArray().Select(e => (Action: e.GetProperty("action").GetString(), Status: e.GetProperty("status").GetInt32())).ToList();
        Assert.Contains(("session.sign_in", 302), entries);
        Assert.Contains(("session.sign_out", 302), entries);
        Assert.Contains(("session.sign_in", 409), entries);
    }
}
