using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LeadScoring.Tests.Events;

/// <summary>Webhooks delivered by real silo and API processes to a real HTTP receiver, signatures checked independently.</summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class WebhookDeliveryTests(EventsClusterFixture fixture, ITestOutputHelper output) : IClassFixture<EventsClusterFixture>
{
    [Fact]
    public async Task Every_lead_scored_of_1000_activities_reaches_the_receiver_signed_once_per_event_id_after_dedupe()
    {
        using var api = fixture.Cluster.CreateApiClient();
        await ProductCluster.WaitForChampionAsync(api);
        var secret = await CreateAsync(api, "all", ["lead.scored"]);
        var leads = Enumerable.Range(0, 50).Select(i => $"hooked-{i}").ToArray();
        foreach (var lead in leads)
        {
            await PostLeadAsync(api, lead);
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, 1_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            (await api.PostAsJsonAsync($"/api/leads/{leads[i % leads.Length]}/activities", new
            {
                activities = new[] { new { type = "page_view", activity_id = $"a-{i}", occurred_at = DateTimeOffset.UtcNow } },
            })).EnsureSuccessStatusCode());

        var committed = await fixture.Cluster.Database.StringsAsync(
            "SELECT event_id FROM event_outbox WHERE workspace = 'default' AND type = 'lead.scored' AND lead_id LIKE 'hooked-%'");
        var received = await fixture.Receiver.WaitForAsync(r => Ids(r, "all").Count >= committed.Count, $"{committed.Count} distinct events at /all");
        var mine = received.Where(r => r.Path == "all").ToList();
        output.WriteLine($"{committed.Count} events committed, {mine.Count} requests, {Ids(received, "all").Count} distinct ids");

        Assert.Equal(1_050, committed.Count);
        Assert.Equal(committed.Order(StringComparer.Ordinal), Ids(received, "all").Order(StringComparer.Ordinal));
        Assert.All(mine, r => Assert.True(r.IsSignedWith(secret), $"event {r.Id} is not signed with the webhook's secret"));
        Assert.All(mine, r => Assert.Equal(r.Id, r.Event.GetProperty("id").GetString()));
        Assert.All(mine, r => Assert.Equal("lead.scored", r.Event.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_receiver_that_answers_500_twice_gets_the_event_on_the_third_attempt()
    {
        using var api = fixture.Cluster.CreateApiClient(workspace: "hooks-retry");
        await CreateAsync(api, "flaky", ["lead.created"]);
        await PostLeadAsync(api, "retried");

        var received = (await fixture.Receiver.WaitForAsync(r => r.Count(x => x.Path == "flaky") >= 3, "three attempts at /flaky")).Where(r => r.Path == "flaky").ToList();
        var webhookId = await OnlyWebhookIdAsync(api);
        // The third attempt's answer reaches the receiver a moment before its outcome is recorded.
        var deliveries = await Eventually.Until(
            async () => (await api.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}/deliveries")).GetProperty("data").GetProperty("deliveries").EnumerateArray().Reverse().ToList(),
            d => d.Count >= 3, "three recorded deliveries");

        Assert.Equal([500, 500, 200], received.Select(r => r.AnsweredWith));
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.Equal([1, 2, 3], deliveries.Select(d => d.GetProperty("attempt").GetInt32()));
        Assert.Equal([500, 500, 200], deliveries.Select(d => d.GetProperty("status").GetInt32()));
        Assert.True(deliveries[0].TryGetProperty("next_attempt_at", out _));
        Assert.False(deliveries[2].TryGetProperty("next_attempt_at", out _));
    }

    [Fact]
    public async Task An_endpoint_that_answers_410_is_disabled_with_an_event_and_an_audit_entry()
    {
        using var api = fixture.Cluster.CreateApiClient(workspace: "hooks-gone");
        await CreateAsync(api, "gone", ["lead.created"]);
        await PostLeadAsync(api, "unwanted");
        var webhookId = await OnlyWebhookIdAsync(api);

        var webhook = await Eventually.Until(
            async () => (await api.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}")).GetProperty("data"),
            w => !w.GetProperty("enabled").GetBoolean(), "the endpoint to be disabled");

        Assert.Contains("410", webhook.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        // The endpoint's state is written first, then its event, then its audit entry: wait for the last.
        Assert.Equal(1, await Eventually.Until(
            () => fixture.Cluster.Database.CountAsync(
                "SELECT count(*) FROM audit_log WHERE workspace = 'hooks-gone' AND action = 'webhook.disabled' AND subject = 'system'"),
            count => count > 0, "the webhook.disabled audit entry"));
        Assert.Equal(1, await fixture.Cluster.Database.CountAsync(
            "SELECT count(*) FROM event_outbox WHERE workspace = 'hooks-gone' AND type = 'webhook.disabled'"));
        // Disabled, it receives nothing more: once a second endpoint of the workspace has the next event, the
        // relay has handed that event out, and the disabled one got no copy.
        var before = fixture.Receiver.Received.Count(r => r.Path == "gone");
        await CreateAsync(api, "gone-witness", ["lead.created"]);
        await PostLeadAsync(api, "unwanted-too");
        await fixture.Receiver.WaitForAsync(r => r.Any(x => x.Path == "gone-witness" && x.Event.GetProperty("data").GetProperty("lead_id").GetString() == "unwanted-too"),
            "the witness endpoint's copy of unwanted-too's lead.created");
        Assert.Equal(before, fixture.Receiver.Received.Count(r => r.Path == "gone"));
    }

    [Fact]
    public async Task A_rotated_secret_signs_beside_the_old_one_during_the_grace_period_and_alone_after()
    {
        using var api = fixture.Cluster.CreateApiClient(workspace: "hooks-rotate");
        var first = await CreateAsync(api, "rotate", ["lead.created"]);
        var webhookId = await OnlyWebhookIdAsync(api);
        var second = await RotateAsync(api, webhookId, graceSeconds: 3600);
        await PostLeadAsync(api, "during-grace");
        var during = (await fixture.Receiver.WaitForAsync(r => r.Any(x => x.Path == "rotate"), "a delivery at /rotate")).Single(r => r.Path == "rotate");

        var third = await RotateAsync(api, webhookId, graceSeconds: 0);
        await PostLeadAsync(api, "after-grace");
        var after = (await fixture.Receiver.WaitForAsync(r => r.Count(x => x.Path == "rotate") >= 2, "a second delivery at /rotate")).Where(r => r.Path == "rotate").Last();

        Assert.Equal(2, during.Signatures.Split(' ').Length);
        Assert.True(during.IsSignedWith(first) && during.IsSignedWith(second));
        Assert.Single(after.Signatures.Split(' '));
        Assert.True(after.IsSignedWith(third));
        Assert.False(after.IsSignedWith(second));
    }

    [Fact]
    public async Task Webhook_requests_that_cannot_be_are_refused_with_the_field_named()
    {
        using var api = fixture.Cluster.CreateApiClient(workspace: "hooks-invalid");
        using var analyst = fixture.Cluster.CreateApiClient(role: "analyst", workspace: "hooks-invalid");

        using var bad = await api.PostAsJsonAsync("/api/webhooks", new { url = "not a url", event_types = new[] { "lead.scored", "lead.nope" } });
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        using var forbidden = await analyst.PostAsJsonAsync("/api/webhooks", new { url = fixture.Receiver.BaseUrl + "/x", event_types = new[] { "lead.scored" } });
        using var missing = await api.GetAsync("/api/webhooks/wh_nothere");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("event_types", out _));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(0, await fixture.Cluster.Database.CountAsync("SELECT count(*) FROM webhooks WHERE workspace = 'hooks-invalid'"));
    }

    private async Task<string> CreateAsync(HttpClient api, string path, string[] types)
    {
        using var response = await api.PostAsJsonAsync("/api/webhooks", new { url = $"{fixture.Receiver.BaseUrl}/{path}", event_types = types });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("data").GetProperty("secret").GetString()!;
    }

    private static async Task<string> RotateAsync(HttpClient api, string webhookId, int graceSeconds)
    {
        using var response = await api.PostAsJsonAsync($"/api/webhooks/{webhookId}/rotate-secret", new { grace_period_seconds = graceSeconds });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("data").GetProperty("secret").GetString()!;
    }

    private static async Task<string> OnlyWebhookIdAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/webhooks")).GetProperty("data").GetProperty("webhooks").EnumerateArray().Single().GetProperty("id").GetString()!;

    private static async Task PostLeadAsync(HttpClient api, string leadId) =>
        (await api.PostAsJsonAsync("/api/leads", new { lead_id = leadId, attributes = new { industry = "software" } })).EnsureSuccessStatusCode();

    private static HashSet<string> Ids(IReadOnlyList<ReceivedWebhook> received, string path) =>
        [.. received.Where(r => r.Path == path).Select(r => r.Id)];
}
