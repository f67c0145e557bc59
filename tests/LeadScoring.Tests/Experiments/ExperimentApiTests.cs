using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Experiments;

/// <summary>Two silos and a workspace with a history and two models trained on it: v1 (the champion) and v2.</summary>
public sealed class ExperimentClusterFixture : IAsyncLifetime
{
    public ProductCluster Cluster { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ProductCluster.StartAsync(silos: 2);
        Admin = Cluster.CreateApiClient();
        await ApiScenario.PostHistoryAsync(Admin, 120, seed: 8);
        await ApiScenario.TrainOnHistoryAsync(Admin);
        await ApiScenario.TrainOnHistoryAsync(Admin);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Cluster.DisposeAsync();
    }
}

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ExperimentApiTests(ExperimentClusterFixture fixture) : IClassFixture<ExperimentClusterFixture>
{
    private HttpClient Admin => fixture.Admin;

    [Fact]
    public async Task An_experiment_that_cannot_run_is_refused_with_the_field_named_and_an_unknown_one_is_404()
    {
        using var badSplit = await Admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-bad", 0.5, 0.4, "v2"));
        using var badModel = await Admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-bad", 0.5, 0.5, "v9"));
        using var unknown = await Admin.GetAsync("/api/ai/scoring/score/never-scored?experiment_id=nope");
        using var unknownReport = await Admin.GetAsync("/api/ai/scoring/abtest/exp-bad");

        Assert.Equal(HttpStatusCode.BadRequest, badSplit.StatusCode);
        Assert.Contains("traffic_split", await badSplit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
        Assert.Contains("variant_models.challenger", await badModel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownReport.StatusCode);
    }

    [Fact]
    public async Task A_lead_stays_in_its_variant_across_silos_and_restarts_and_counts_once()
    {
        using var created = await Admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-sticky", 0.5, 0.5, "v2"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var leads = await CreateLeadsAsync("s", 120);

        var variants = await ScoreInExperimentAsync(Admin, "exp-sticky", leads);
        var again = await ScoreInExperimentAsync(Admin, "exp-sticky", leads);
        await fixture.Cluster.RestartAsync();
        var afterRestart = await ScoreInExperimentAsync(Admin, "exp-sticky", leads);
        var report = await ReportAsync(Admin, "exp-sticky");

        Assert.Equal(variants, again);
        Assert.Equal(variants, afterRestart);
        Assert.Contains("control", variants.Values);
        Assert.Contains("challenger", variants.Values);
        var byVariant = report.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal(variants.Count(v => v.Value == "control"), byVariant["control"].GetProperty("n").GetInt64());
        Assert.Equal(variants.Count(v => v.Value == "challenger"), byVariant["challenger"].GetProperty("n").GetInt64());
        Assert.False(report.GetProperty("sample_ratio_mismatch").GetBoolean());
        Assert.Equal("running", report.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Erasing_a_lead_erases_its_exposure()
    {
        using var created = await Admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-erase", 0.5, 0.5, "v2"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var variants = await ScoreInExperimentAsync(Admin, "exp-erase", await CreateLeadsAsync("e", 10));
        var before = await CountsAsync("exp-erase");
        var erased = variants.First();

        (await Admin.DeleteAsync($"/api/leads/{erased.Key}")).EnsureSuccessStatusCode();
        var after = await CountsAsync("exp-erase");

        Assert.Equal(before[erased.Value] - 1, after[erased.Value]);
        Assert.Equal(before.Values.Sum() - 1, after.Values.Sum());
    }

    [Fact]
    public async Task A_winner_found_by_outcomes_is_promoted_on_stop_and_every_silo_scores_with_it_at_once()
    {
        using var created = await Admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-win", 0.5, 0.5, "v2"));
        using var retried = await Admin.PostAsJsonAsync("/api/ai/scoring/abtest/create", Definition("exp-win", 0.5, 0.5, "v2"));
        var leads = await CreateLeadsAsync("w", 120);
        var variants = await ScoreInExperimentAsync(Admin, "exp-win", leads);

        // Outcomes are attributed to the variant the lead saw: the challenger's leads convert far more often.
        var index = 0;
        foreach (var (leadId, variant) in variants)
        {
            var converted = variant == "challenger" ? index % 5 != 0 : index % 10 == 0;
            index++;
            (await Admin.PostAsJsonAsync($"/api/leads/{leadId}/outcome", new { converted, deal_value = converted ? 1000 + index : (int?)null })).EnsureSuccessStatusCode();
        }

        var report = await ReportAsync(Admin, "exp-win");
        using var stopped = await Admin.PostAsJsonAsync("/api/ai/scoring/abtest/exp-win/stop", new { promote_winner = true });
        var models = await Admin.GetFromJsonAsync<JsonElement>("/api/ai/scoring/models");
        var list = await Admin.GetFromJsonAsync<JsonElement>("/api/ai/scoring/abtest");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode); // a retried create is not an error
        var byVariant = report.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        var challenger = byVariant["challenger"];
        Assert.True(challenger.GetProperty("conversion_rate").GetDouble() > byVariant["control"].GetProperty("conversion_rate").GetDouble());
        Assert.True(challenger.GetProperty("lift_low").GetDouble() > 0);
        Assert.True(challenger.GetProperty("p_value").GetDouble() < 0.001);
        Assert.True(challenger.GetProperty("sequential_p_value").GetDouble() < 0.05);
        Assert.Equal("significant_winner", report.GetProperty("verdict").GetString());
        Assert.Equal("challenger", report.GetProperty("winner").GetString());
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.Equal("v2", models.GetProperty("champion").GetString());
        Assert.Equal("stopped", list.GetProperty("data").GetProperty("experiments").EnumerateArray()
            .Single(e => e.GetProperty("definition").GetProperty("experiment_id").GetString() == "exp-win").GetProperty("status").GetString());

        // As soon as the stop is answered, a stopped experiment scores with the new champion and records nothing,
        // on both silos: both were told of the promotion and of the stop before the answer (the caches they
        // would otherwise wait out hold entries for 5 s, and every lead was scored in the experiment just now).
        foreach (var leadId in leads)
        {
            var afterStop = (await Admin.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{leadId}?experiment_id=exp-win")).GetProperty("data");
            Assert.False(afterStop.TryGetProperty("experiment", out _), leadId);
            Assert.Equal("v2", afterStop.GetProperty("model_version").GetString());
        }

        Assert.Equal(byVariant.Values.Sum(v => v.GetProperty("n").GetInt64()), (await CountsAsync("exp-win")).Values.Sum());
        var audit = await Admin.GetFromJsonAsync<JsonElement>("/api/audit?target=experiment:exp-win");
        Assert.Equal(["experiment.stop", "experiment.create", "experiment.create"],
            audit.GetProperty("data").GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    private async Task<List<string>> CreateLeadsAsync(string prefix, int count)
    {
        var leads = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToList();
        foreach (var leadId in leads)
        {
            (await Admin.PostAsJsonAsync("/api/leads", new { lead_id = leadId, attributes = new { industry = "retail", company_size = 50 } })).EnsureSuccessStatusCode();
        }

        return leads;
    }

    private async Task<Dictionary<string, long>> CountsAsync(string experimentId) =>
        (await ReportAsync(Admin, experimentId)).GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("n").GetInt64());

    private static object Definition(string id, double control, double challenger, string challengerModel) => new
    {
        experiment_id = id,
        variants = new[] { "control", "challenger" },
        traffic_split = new { control, challenger },
        variant_models = new { control = "v1", challenger = challengerModel },
        hypothesis = "v2 ranks leads better",
    };

    private static async Task<Dictionary<string, string>> ScoreInExperimentAsync(HttpClient api, string experimentId, IEnumerable<string> leads)
    {
        var variants = new Dictionary<string, string>();
        foreach (var leadId in leads)
        {
            using var response = await api.PostAsJsonAsync("/api/ai/scoring/score/single", new { lead_id = leadId, experiment_id = experimentId });
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
