using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

/// <summary>POST /api/leads/activities/batch against silo and API processes on PostgreSQL.</summary>
[Trait("Category", "Cluster")]
public class ActivityBatchApiTests(BadInputClusterFixture fixture) : IClassFixture<BadInputClusterFixture>
{
    private static readonly DateTimeOffset Earlier = DateTimeOffset.UtcNow.AddMinutes(-5);

    [Fact]
    public async Task Each_lead_records_its_own_activities_and_a_refused_lead_stores_none()
    {
        foreach (var lead in new[] { "batch-a", "batch-b", "batch-c" })
        {
            (await fixture.Api.PostAsJsonAsync("/api/leads", new { lead_id = lead })).EnsureSuccessStatusCode();
        }

        var started = DateTimeOffset.UtcNow;
        object[] activities =
        [
            Activity("batch-a", "a-1", Earlier),
            Activity("batch-b", "b-1", Earlier),
            Activity("batch-a", "a-2", Earlier.AddSeconds(1)),
            Activity("nobody", "n-1", Earlier),
            Activity("batch-c", "c-1", Earlier),
            Activity("batch-a", "a-1", Earlier),
            Activity("batch-c", "c-2", DateTimeOffset.UtcNow.AddHours(1)),
        ];

        var first = await PostBatch(activities);
        var retry = await PostBatch(activities);

        Assert.Equal([("batch-a", 2, 1), ("batch-b", 1, 0)], Results(first));
        Assert.Equal([("batch-a", 0, 3), ("batch-b", 0, 1)], Results(retry));
        var failed = first.GetProperty("failed").EnumerateArray().ToDictionary(f => f.GetProperty("lead_id").GetString()!);
        Assert.Equal(["batch-c", "nobody"], failed.Keys.Order());
        Assert.Contains("nobody", failed["nobody"].GetProperty("error").GetString(), StringComparison.Ordinal);
        // The refused activity is named by its place in the batch, not in the lead's own list.
        Assert.Equal("activities[6].occurred_at", Assert.Single(failed["batch-c"].GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());

        Assert.Equal(2, (await Lead("batch-a")).GetProperty("activity_count").GetInt64());
        Assert.Equal(1, (await Lead("batch-b")).GetProperty("activity_count").GetInt64());
        Assert.Equal(0, (await Lead("batch-c")).GetProperty("activity_count").GetInt64());
        Assert.Equal(2, await fixture.Cluster.Database.CountAsync("SELECT count(*) FROM lead_activity WHERE lead_id = 'batch-a'"));
        Assert.Equal(0, await fixture.Cluster.Database.CountAsync("SELECT count(*) FROM lead_activity WHERE lead_id = 'batch-c'"));

        // Each call leaves one audit row per lead it named, all under the call's request id.
        var audited = await fixture.Cluster.Database.ScalarAsync($"""
            SELECT count(*) || '/' || count(DISTINCT target) || '/' || count(DISTINCT request_id)
              FROM audit_log WHERE action = 'lead.activities' AND at >= '{started:O}'
            """);
        Assert.Equal("8/4/2", audited);
    }

    [Fact]
    public async Task A_batch_over_the_limit_is_refused_whole()
    {
        (await fixture.Api.PostAsJsonAsync("/api/leads", new { lead_id = "batch-limit" })).EnsureSuccessStatusCode();
        var activities = Enumerable.Range(0, 1_001).Select(i => Activity("batch-limit", $"limit-{i}", Earlier)).ToArray();

        using var response = await fixture.Api.PostAsJsonAsync("/api/leads/activities/batch", new { activities });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("1000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await Lead("batch-limit")).GetProperty("activity_count").GetInt64());
    }

    private static object Activity(string leadId, string activityId, DateTimeOffset occurredAt) => new
    {
        lead_id = leadId,
        activity_id = activityId,
        type = "page_view",
        occurred_at = occurredAt,
        properties = new { url = "https://www.example.com/pricing", channel = "web" },
    };

    private async Task<JsonElement> PostBatch(object[] activities)
    {
        using var response = await fixture.Api.PostAsJsonAsync("/api/leads/activities/batch", new { activities });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static List<(string, int, int)> Results(JsonElement answer) =>
    [
        .. answer.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("lead_id").GetString()!, r.GetProperty("accepted").GetInt32(), r.GetProperty("duplicate").GetInt32()))
            .OrderBy(r => r.Item1, StringComparer.Ordinal),
    ];

    private async Task<JsonElement> Lead(string leadId) => await fixture.Api.GetFromJsonAsync<JsonElement>($"/api/leads/{leadId}");
}
