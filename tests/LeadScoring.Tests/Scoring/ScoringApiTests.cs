using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Scoring;

/// <summary>A workspace with 160 simulated leads, asked for a score before any model, then trained once (v1).</summary>
public sealed class ScoredWorkspaceFixture : IAsyncLifetime
{
    public ProductCluster Cluster { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public List<SimulatedLead> Leads { get; private set; } = null!;

    public JsonElement Job { get; private set; }

    public (HttpStatusCode Status, string Body) BeforeAnyModel { get; private set; }

    public async Task InitializeAsync()
    {
        Cluster = await ProductCluster.StartAsync();
        Api = Cluster.CreateApiClient();
        Leads = await ApiScenario.PostHistoryAsync(Api, 160, seed: 12);
        using (var noModel = await Api.GetAsync($"/api/ai/scoring/score/{Leads[0].LeadId}"))
        {
            BeforeAnyModel = (noModel.StatusCode, await noModel.Content.ReadAsStringAsync());
        }

        Job = await ApiScenario.TrainOnHistoryAsync(Api);
    }

    /// <summary>The <paramref name="nth"/> lead with more than three activities: each test scores its own.</summary>
    public string ActiveLead(int nth) => Leads.Where(l => l.Activities.Count > 3).Skip(nth).First().LeadId;

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Cluster.DisposeAsync();
    }
}

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ScoringApiTests(ScoredWorkspaceFixture fixture) : IClassFixture<ScoredWorkspaceFixture>
{
    private HttpClient Api => fixture.Api;

    [Fact]
    public void A_workspace_without_a_model_answers_409_naming_the_reason()
    {
        Assert.Equal(HttpStatusCode.Conflict, fixture.BeforeAnyModel.Status);
        Assert.Contains("no model trained for this workspace", fixture.BeforeAnyModel.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_score_carries_an_exact_explanation_and_is_read_back_from_the_lead_s_cache()
    {
        var lead = fixture.ActiveLead(0);
        var single = await PostJsonAsync("/api/ai/scoring/score/single", new { lead_id = lead, include_insights = true });
        var cached = (await Api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead}")).GetProperty("data");

        Assert.True(single.GetProperty("success").GetBoolean());
        Assert.True(single.GetProperty("processing_time_ms").GetDouble() > 0);
        var score = single.GetProperty("data");
        var probability = score.GetProperty("conversion_probability").GetDouble();
        var explanation = score.GetProperty("explanation");
        var contributions = explanation.GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("contribution").GetDouble()).ToList();
        // Every figure in the answer is rounded to 6 places (off by at most 5e-7 each), so the checks allow for that,
        // not for rounding to a number of places (which fails whenever a value sits next to a midpoint).
        Assert.Equal(explanation.GetProperty("output_value").GetDouble(), explanation.GetProperty("base_value").GetDouble() + contributions.Sum(), 5e-7 * (contributions.Count + 2));
        Assert.Equal(probability, 1 / (1 + Math.Exp(-explanation.GetProperty("output_value").GetDouble())), 1e-6);
        Assert.Equal("v1", score.GetProperty("model_version").GetString());
        foreach (var field in new[] { "overall_score", "confidence", "behavioral_score", "engagement_score", "going_cold_risk" })
        {
            Assert.True(score.TryGetProperty(field, out _), field);
        }

        Assert.True(cached.GetProperty("cached").GetBoolean());
        Assert.Equal(probability, cached.GetProperty("conversion_probability").GetDouble());
        Assert.False(cached.TryGetProperty("explanation", out _));
    }

    [Fact]
    public async Task An_activity_rescores_the_lead_in_the_transaction_of_its_history_entry_and_the_next_read_serves_the_new_score()
    {
        var lead = fixture.ActiveLead(1);
        var before = (await Api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead}")).GetProperty("data");
        var historyBefore = (await Api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead}/history")).GetProperty("data").GetProperty("history").GetArrayLength();
        (await Api.PostAsJsonAsync($"/api/leads/{lead}/activities", new
        {
            activities = Enumerable.Range(0, 5).Select(i => new { activity_id = $"extra{i}", type = "demo_request", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-i) }),
        })).EnsureSuccessStatusCode();
        var history = (await Api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead}/history")).GetProperty("data").GetProperty("history");
        // The read after the change gets the new score, not the JSON this process wrote for the old one; the read
        // after that is written from the new score's JSON, and says the same.
        var reread = (await Api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead}")).GetProperty("data");
        var rereadAgain = (await Api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead}")).GetProperty("data");

        Assert.Equal(historyBefore + 1, history.GetArrayLength());
        Assert.Equal("activity", history[0].GetProperty("trigger").GetString());
        Assert.Equal("activity", reread.GetProperty("trigger").GetString());
        Assert.True(reread.GetProperty("scored_at").GetDateTimeOffset() > before.GetProperty("scored_at").GetDateTimeOffset());
        Assert.Equal(history[0].GetProperty("overall_score").GetDouble(), reread.GetProperty("overall_score").GetDouble());
        Assert.Equal(reread.GetRawText(), rereadAgain.GetRawText());
        Assert.Equal(historyBefore + 1, await fixture.Cluster.Database.CountAsync($"SELECT count(*) FROM score_history WHERE lead_id = '{lead}'"));
        // The lead's state and the entry of the score it holds were committed by one transaction.
        Assert.Equal(1, await fixture.Cluster.Database.CountAsync($"""
            SELECT count(*) FROM lead_state s
              JOIN (SELECT xmin::text AS x FROM score_history WHERE lead_id = '{lead}' ORDER BY id DESC LIMIT 1) newest ON newest.x = s.xmin::text
             WHERE s.lead_id = '{lead}'
            """));
    }

    [Fact]
    public async Task A_batch_of_good_unknown_unconsented_and_malformed_ids_answers_each_without_failing_the_others()
    {
        (await Api.PostAsJsonAsync("/api/leads", new { lead_id = "private-batch", consent = new { profiling = false } })).EnsureSuccessStatusCode();
        var good = new[] { fixture.Leads[1].LeadId, fixture.Leads[2].LeadId };

        var batch = (await PostJsonAsync("/api/ai/scoring/score/batch", new
        {
            leads = new[] { good[0], "nobody", "private-batch", "bad id!", good[1] }.Select(id => new { lead_id = id }),
        })).GetProperty("data");

        Assert.Equal(good, batch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("lead_id").GetString()));
        var failed = batch.GetProperty("failed").EnumerateArray().ToDictionary(f => f.GetProperty("lead_id").GetString()!, f => f.GetProperty("error").GetString()!);
        Assert.Equal(["bad id!", "nobody", "private-batch"], failed.Keys.Order());
        Assert.Contains("consent", failed["private-batch"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scores_that_cannot_be_given_are_refused_with_the_reason()
    {
        (await Api.PostAsJsonAsync("/api/leads", new { lead_id = "private-single", consent = new { profiling = false } })).EnsureSuccessStatusCode();

        using var tooMany = await Api.PostAsJsonAsync("/api/ai/scoring/score/batch", new { leads = Enumerable.Range(0, 10_001).Select(i => new { lead_id = $"l{i}" }) });
        using var unconsented = await Api.GetAsync("/api/ai/scoring/score/private-single");
        using var unknown = await Api.GetAsync("/api/ai/scoring/score/nobody");
        using var malformed = await Api.PostAsync("/api/ai/scoring/score/single", new StringContent("{\"lead_id\": 7}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, unconsented.StatusCode);
        Assert.Contains("consent", await unconsented.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType!.MediaType);
        Assert.Contains("lead_id", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_measured_and_move_with_requests()
    {
        var lead = fixture.ActiveLead(2);
        (await Api.GetAsync($"/api/ai/scoring/score/{lead}")).EnsureSuccessStatusCode();
        var metrics = (await Api.GetFromJsonAsync<JsonElement>("/api/ai/scoring/performance/metrics")).GetProperty("data");
        for (var i = 0; i < 5; i++)
        {
            (await Api.GetAsync($"/api/ai/scoring/score/{lead}")).EnsureSuccessStatusCode();
        }

        var later = (await Api.GetFromJsonAsync<JsonElement>("/api/ai/scoring/performance/metrics")).GetProperty("data");

        var stats = metrics.GetProperty("scoring_stats");
        var laterStats = later.GetProperty("scoring_stats");
        Assert.Equal(stats.GetProperty("total_requests").GetInt64() + 5, laterStats.GetProperty("total_requests").GetInt64());
        Assert.Equal(stats.GetProperty("total_scores").GetInt64() + 5, laterStats.GetProperty("total_scores").GetInt64());
        Assert.True(laterStats.GetProperty("cache_hit_rate").GetDouble() > stats.GetProperty("cache_hit_rate").GetDouble());
        Assert.True(laterStats.GetProperty("p99_ms").GetDouble() >= laterStats.GetProperty("p50_ms").GetDouble());
        Assert.True(laterStats.GetProperty("p50_ms").GetDouble() > 0);
        var performance = later.GetProperty("model_performance");
        Assert.Equal("v1", performance.GetProperty("model_version").GetString());
        Assert.Equal(fixture.Job.GetProperty("report").GetProperty("holdout").GetProperty("auc").GetDouble(), performance.GetProperty("auc").GetDouble());
    }

    private async Task<JsonElement> PostJsonAsync(string url, object body)
    {
        using var response = await Api.PostAsJsonAsync(url, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json;
    }
}
