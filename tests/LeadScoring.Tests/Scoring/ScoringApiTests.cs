using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Scoring;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ScoringApiTests
{
    [Fact]
    public async Task Leads_are_scored_over_http_with_the_champion_trained_on_the_workspace_history()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();
        var leads = SyntheticCrm.Generate(160, seed: 12, DateTimeOffset.UtcNow).ToList();
        foreach (var lead in leads)
        {
            await ApiScenario.PostLeadAsync(api, lead);
        }

        var lead0 = leads.First(l => l.Activities.Count > 3).LeadId;
        using var noModel = await api.GetAsync($"/api/ai/scoring/score/{lead0}");
        Assert.Equal(HttpStatusCode.Conflict, noModel.StatusCode);
        Assert.Contains("no model trained for this workspace", await noModel.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var job = await ApiScenario.TrainAsync(api, null);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());

        // Single, with the exact explanation.
        var single = await PostJsonAsync(api, "/api/ai/scoring/score/single", new { lead_id = lead0, include_insights = true });
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

        // Get: the same score, from the lead's cache.
        var cached = (await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead0}")).GetProperty("data");
        Assert.True(cached.GetProperty("cached").GetBoolean());
        Assert.Equal(probability, cached.GetProperty("conversion_probability").GetDouble());
        Assert.False(cached.TryGetProperty("explanation", out _));

        // An activity rescores the lead and extends its persisted history.
        var historyBefore = (await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead0}/history")).GetProperty("data").GetProperty("history").GetArrayLength();
        (await api.PostAsJsonAsync($"/api/leads/{lead0}/activities", new
        {
            activities = Enumerable.Range(0, 5).Select(i => new { activity_id = $"extra{i}", type = "demo_request", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-i) }),
        })).EnsureSuccessStatusCode();
        var history = (await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead0}/history")).GetProperty("data").GetProperty("history");
        Assert.Equal(historyBefore + 1, history.GetArrayLength());
        Assert.Equal("activity", history[0].GetProperty("trigger").GetString());
        // The read after the change gets the new score, not the JSON this process wrote for the old one; the read
        // after that is written from the new score's JSON, and says the same.
        var reread = (await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead0}")).GetProperty("data");
        var rereadAgain = (await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead0}")).GetProperty("data");
        Assert.Equal("activity", reread.GetProperty("trigger").GetString());
        Assert.True(reread.GetProperty("scored_at").GetDateTimeOffset() > cached.GetProperty("scored_at").GetDateTimeOffset());
        Assert.Equal(history[0].GetProperty("overall_score").GetDouble(), reread.GetProperty("overall_score").GetDouble());
        Assert.Equal(reread.GetRawText(), rereadAgain.GetRawText());
        Assert.True(await cluster.Database.CountAsync($"SELECT count(*) FROM score_history WHERE lead_id = '{lead0}'") >= historyBefore + 1);
        // The lead's state and the entry of the score it holds were committed by one transaction.
        Assert.Equal(1, await cluster.Database.CountAsync($"""
            SELECT count(*) FROM lead_state s
              JOIN (SELECT xmin::text AS x FROM score_history WHERE lead_id = '{lead0}' ORDER BY id DESC LIMIT 1) newest ON newest.x = s.xmin::text
             WHERE s.lead_id = '{lead0}'
            """));

        // Batch: good, unknown, unconsented and malformed ids together; none of them fails the others.
        (await api.PostAsJsonAsync("/api/leads", new { lead_id = "private", consent = new { profiling = false } })).EnsureSuccessStatusCode();
        var batch = (await PostJsonAsync(api, "/api/ai/scoring/score/batch", new
        {
            leads = new[] { leads[1].LeadId, "nobody", "private", "bad id!", leads[2].LeadId }.Select(id => new { lead_id = id }),
        })).GetProperty("data");
        Assert.Equal([leads[1].LeadId, leads[2].LeadId], batch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("lead_id").GetString()));
        var failed = batch.GetProperty("failed").EnumerateArray().ToDictionary(f => f.GetProperty("lead_id").GetString()!, f => f.GetProperty("error").GetString()!);
        Assert.Equal(["bad id!", "nobody", "private"], failed.Keys.Order());
        Assert.Contains("consent", failed["private"], StringComparison.Ordinal);

        // Refusals.
        using var tooMany = await api.PostAsJsonAsync("/api/ai/scoring/score/batch", new { leads = Enumerable.Range(0, 10_001).Select(i => new { lead_id = $"l{i}" }) });
        using var unconsented = await api.GetAsync("/api/ai/scoring/score/private");
        using var unknown = await api.GetAsync("/api/ai/scoring/score/nobody");
        using var malformed = await api.PostAsync("/api/ai/scoring/score/single", new StringContent("{\"lead_id\": 7}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, unconsented.StatusCode);
        Assert.Contains("consent", await unconsented.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType!.MediaType);
        Assert.Contains("lead_id", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Metrics: measured, and they move with requests.
        var metrics = (await api.GetFromJsonAsync<JsonElement>("/api/ai/scoring/performance/metrics")).GetProperty("data");
        for (var i = 0; i < 5; i++)
        {
            (await api.GetAsync($"/api/ai/scoring/score/{lead0}")).EnsureSuccessStatusCode();
        }

        var later = (await api.GetFromJsonAsync<JsonElement>("/api/ai/scoring/performance/metrics")).GetProperty("data");
        var stats = metrics.GetProperty("scoring_stats");
        var laterStats = later.GetProperty("scoring_stats");
        Assert.Equal(stats.GetProperty("total_requests").GetInt64() + 5, laterStats.GetProperty("total_requests").GetInt64());
        Assert.Equal(stats.GetProperty("total_scores").GetInt64() + 5, laterStats.GetProperty("total_scores").GetInt64());
        Assert.True(laterStats.GetProperty("cache_hit_rate").GetDouble() > stats.GetProperty("cache_hit_rate").GetDouble());
        Assert.True(laterStats.GetProperty("p99_ms").GetDouble() >= laterStats.GetProperty("p50_ms").GetDouble());
        Assert.True(laterStats.GetProperty("p50_ms").GetDouble() > 0);
        var performance = later.GetProperty("model_performance");
        Assert.Equal("v1", performance.GetProperty("model_version").GetString());
        Assert.Equal(job.GetProperty("report").GetProperty("holdout").GetProperty("auc").GetDouble(), performance.GetProperty("auc").GetDouble());
    }

    private static async Task<JsonElement> PostJsonAsync(HttpClient api, string url, object body)
    {
        using var response = await api.PostAsJsonAsync(url, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json;
    }
}
