using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

/// <summary>One silo process and PostgreSQL, for APIs hosted in the test process with a clock the tests move.</summary>
public sealed class SiloOnlyClusterFixture : IAsyncLifetime
{
    public ProductCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ProductCluster.StartAsync(apis: 0);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Token expiry and rate-limit refills, with the API's clock moved by the test: nothing here waits for real time to pass.</summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ApiClockTests(SiloOnlyClusterFixture fixture) : IClassFixture<SiloOnlyClusterFixture>
{
    private const string Models = "/api/ai/scoring/models";

    [Fact]
    public async Task A_token_is_accepted_until_its_expiry_plus_the_clock_skew_and_refused_after_though_remembered()
    {
        await using var api = await InProcessApi.StartAsync(fixture.Cluster);
        var expires = api.Clock.GetUtcNow().AddMinutes(5);
        var claims = TestTokens.Claims();
        claims["exp"] = expires.ToUnixTimeSeconds();
        using var client = api.CreateClient(token: TestTokens.Sign(claims));

        using var fresh = await client.GetAsync(Models);
        api.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(29)); // expired, within the 30 s skew
        using var withinSkew = await client.GetAsync(Models);
        api.Clock.Advance(TimeSpan.FromSeconds(2)); // past the skew: refused although the API remembers the token
        using var refused = await client.GetAsync(Models);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("The token has expired.", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_token_not_valid_yet_is_refused_until_its_start_less_the_clock_skew()
    {
        await using var api = await InProcessApi.StartAsync(fixture.Cluster);
        var claims = TestTokens.Claims();
        claims["nbf"] = api.Clock.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds();
        using var client = api.CreateClient(token: TestTokens.Sign(claims));

        using var early = await client.GetAsync(Models);
        api.Clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(29));
        using var withinSkew = await client.GetAsync(Models);

        Assert.Equal(HttpStatusCode.Unauthorized, early.StatusCode);
        Assert.Equal("The token is not valid yet.", (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
    }

    [Fact]
    public async Task A_subject_over_its_rate_gets_429_with_retry_after_and_recovers_once_refilled_while_others_are_unaffected()
    {
        await using var api = await InProcessApi.StartAsync(fixture.Cluster, new Dictionary<string, string>
        {
            ["LeadScoring__RateLimits__PerSubject__PerSecond"] = "1",
            ["LeadScoring__RateLimits__PerSubject__Burst"] = "3",
        });
        using var busy = api.CreateClient(role: "analyst", workspace: "busy");
        using var other = api.CreateClient(role: "analyst", workspace: "calm");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await busy.GetAsync(Models);
            statuses.Add(response.StatusCode);
        }

        using var limited = await busy.GetAsync(Models);
        using var unaffected = await other.GetAsync(Models);
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        using var recovered = await busy.GetAsync(Models);
        using var emptyAgain = await busy.GetAsync(Models);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, emptyAgain.StatusCode);
    }

    [Fact]
    public async Task A_batch_costs_a_token_per_item_and_one_refused_for_want_of_tokens_writes_nothing()
    {
        await using var api = await InProcessApi.StartAsync(fixture.Cluster, new Dictionary<string, string>
        {
            ["LeadScoring__RateLimits__PerSubject__PerSecond"] = "1",
            ["LeadScoring__RateLimits__PerSubject__Burst"] = "30",
        });
        using var client = api.CreateClient(workspace: "batches");
        using (var created = await client.PostAsJsonAsync("/api/leads", new { lead_id = "batched", consent = new { profiling = true } }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        object Views(string batch, int count) => new
        {
            activities = Enumerable.Range(0, count).Select(i => new
            {
                lead_id = "batched", activity_id = $"view-{batch}-{i}", type = "page_view", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-1),
            }),
        };

        // 1 token for the upsert and 20 for the first batch leave 9. The second takes one on the way in and is
        // refused the other 19: sent again it needs 20 of the 8 left, 12 seconds' refill.
        using var first = await client.PostAsJsonAsync("/api/leads/activities/batch", Views("first", 20));
        using var refused = await client.PostAsJsonAsync("/api/leads/activities/batch", Views("refused", 20));
        api.Clock.Advance(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero);
        using var retried = await client.PostAsJsonAsync("/api/leads/activities/batch", Views("retried", 20));
        api.Clock.Advance(TimeSpan.FromSeconds(10));
        var lead = await client.GetFromJsonAsync<JsonElement>("/api/leads/batched");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(12), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        // The refused batch left no trace on the lead or in its audit trail.
        Assert.Equal(40, lead.GetProperty("activity_count").GetInt64());
        var trail = (await client.GetFromJsonAsync<JsonElement>("/api/audit?action=lead.activities")).GetProperty("data").GetProperty("entries")
            .EnumerateArray().Select(e => e.GetProperty("status").GetInt32()).Order().ToList();
        Assert.Equal([200, 200], trail);
    }
}
