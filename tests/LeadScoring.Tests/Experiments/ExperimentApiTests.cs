using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Experiments;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ExperimentApiTests
{
    [Fact]
    public async Task An_experiment_routes_leads_stickily_across_silos_and_restarts_and_its_winner_can_be_promoted()
    {
        await using var cluster = await ProductCluster.StartAsync(silos: 2);
        using var admin = cluster.CreateApiClient();
        foreach (var lead in SyntheticCrm.Generate(120, seed: 8, DateTimeOffset.UtcNow))
        {
            await ApiScenario.PostLeadAsync(admin, lead);
        }

        // v1 (the champion) and v2, both trained on the workspace's history.
        foreach (var _ in new[] { 1, 2 })
        {
            var job = await ApiScenario.TrainAsync(admin, null);
            Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        }

        using var badSplit = await admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-bad", 0.5, 0.4, "v2"));
        Assert.Equal(HttpStatusCode.BadRequest, badSplit.StatusCode);
        Assert.Contains("traffic_split", await badSplit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badModel = await admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-bad", 0.5, 0.5, "v9"));
        Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
        Assert.Contains("variant_models.challenger", await badModel.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var created = await admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-1", 0.5, 0.5, "v2"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var again = await admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-1", 0.5, 0.5, "v2"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // a retried create is not an error

        var leads = Enumerable.Range(0, 120).Select(i => $"x-{i}").ToList();
        foreach (var leadId in leads)
        {
            (await admin.PostAsJsonAsync("/api/leads", new { lead_id = leadId, attributes = new { industry = "retail", company_size = 50 } })).EnsureSuccessStatusCode();
        }

        var variants = await ScoreInExperimentAsync(admin, leads);
        Assert.Equal(variants, await ScoreInExperimentAsync(admin, leads));
        await cluster.RestartAsync();
        Assert.Equal(variants, await ScoreInExperimentAsync(admin, leads));
        Assert.Contains("control", variants.Values);
        Assert.Contains("challenger", variants.Values);

        // Each lead counts once, however often and wherever it was scored.
        var report = await ReportAsync(admin, "exp-1");
        var byVariant = report.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal(variants.Count(v => v.Value == "control"), byVariant["control"].GetProperty("n").GetInt64());
        Assert.Equal(variants.Count(v => v.Value == "challenger"), byVariant["challenger"].GetProperty("n").GetInt64());
        Assert.False(report.GetProperty("sample_ratio_mismatch").GetBoolean());
        Assert.Equal("running", report.GetProperty("verdict").GetString());

        // Outcomes are attributed to the variant the lead saw: the challenger's leads convert far more often.
        var index = 0;
        foreach (var (leadId, variant) in variants)
        {
            var converted = variant == "challenger" ? index % 5 != 0 : index % 10 == 0;
            index++;
            (await admin.PostAsJsonAsync($"/api/leads/{leadId}/outcome", new { converted, deal_value = converted ? 1000 + index : (int?)null })).EnsureSuccessStatusCode();
        }

        report = await ReportAsync(admin, "exp-1");
        byVariant = report.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        var challenger = byVariant["challenger"];
        Assert.True(challenger.GetProperty("conversion_rate").GetDouble() > byVariant["control"].GetProperty("conversion_rate").GetDouble());
        Assert.True(challenger.GetProperty("lift_low").GetDouble() > 0);
        Assert.True(challenger.GetProperty("p_value").GetDouble() < 0.001);
        Assert.True(challenger.GetProperty("sequential_p_value").GetDouble() < 0.05);
        Assert.Equal("significant_winner", report.GetProperty("verdict").GetString());
        Assert.Equal("challenger", report.GetProperty("winner").GetString());

        // Erasing a lead erases its exposure too.
        var erased = variants.First();
        (await admin.DeleteAsync($"/api/leads/{erased.Key}")).EnsureSuccessStatusCode();
        var afterErasure = (await ReportAsync(admin, "exp-1")).GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == erased.Value);
        Assert.Equal(byVariant[erased.Value].GetProperty("n").GetInt64() - 1, afterErasure.GetProperty("n").GetInt64());

        using var stopped = await admin.PostAsJsonAsync("/api/ai/scoring/abtest/exp-1/stop", new { promote_winner = true });
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        var models = await admin.GetFromJsonAsync<JsonElement>("/api/ai/scoring/models");
        Assert.Equal("v2", models.GetProperty("champion").GetString());
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/ai/scoring/abtest");
        Assert.Equal("stopped", list.GetProperty("data").GetProperty("experiments")[0].GetProperty("status").GetString());

        // As soon as the stop is answered, a stopped experiment scores with the new champion and records nothing,
        // on both silos: both were told of the promotion and of the stop before the answer (the caches they
        // would otherwise wait out hold entries for 5 s, and every lead was scored in the experiment just now).
        foreach (var leadId in leads.Where(id => id != erased.Key))
        {
            var afterStop = (await admin.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{leadId}?experiment_id=exp-1")).GetProperty("data");
            Assert.False(afterStop.TryGetProperty("experiment", out _), leadId);
            Assert.Equal("v2", afterStop.GetProperty("model_version").GetString());
        }

        Assert.Equal(byVariant["control"].GetProperty("n").GetInt64() + byVariant["challenger"].GetProperty("n").GetInt64() - 1,
            (await ReportAsync(admin, "exp-1")).GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("n").GetInt64()));
        using var unknown = await admin.GetAsync($"/api/ai/scoring/score/{leads[5]}?experiment_id=nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit?target=experiment:exp-1");
        Assert.Equal(["experiment.stop", "experiment.create", "experiment.create"],
            audit.GetProperty("data").GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    private static object Definition(string id, double control, double challenger, string challengerModel) => new
    {
        experiment_id = id,
        variants = new[] { "control", "challenger" },
        traffic_split = new { control, challenger },
        variant_models = new { control = "v1", challenger = challengerModel },
        hypothesis = "v2 ranks leads better",
    };

    private static async Task<Dictionary<string, string>> ScoreInExperimentAsync(HttpClient api, IEnumerable<string> leads)
    {
        var variants = new Dictionary<string, string>();
        foreach (var leadId in leads)
        {
            using var response = await api.PostAsJsonAsync("/api/ai/scoring/score/single", new { lead_id = leadId, experiment_id = "exp-1" });
            var score = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
            var variant = score.GetProperty("experiment").GetProperty("variant").GetString()!;
            Assert.Equal(variant == "control" ? "v1" : "v2", score.GetProperty("model_version").GetString());
            variants[leadId] = variant;
        }

        return variants;
    }

    private static async Task<JsonElement> ReportAsync(HttpClient api, string experimentId)
    {
        var response = await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/abtest/{experimentId}");
        Assert.True(response.GetProperty("success").GetBoolean());
        return response.GetProperty("data");
    }
}
