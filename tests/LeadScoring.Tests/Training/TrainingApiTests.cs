using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Modeling.Tests.Training;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Training;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class TrainingApiTests
{
    [Fact]
    public async Task A_csv_upload_trains_a_champion_that_can_be_listed_promoted_and_rolled_back()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();

        var first = await ApiScenario.TrainAsync(api, Csv(SyntheticLeads.Create(400)));
        var second = await ApiScenario.TrainAsync(api, Csv(SyntheticLeads.Create(400, seed: 9)));

        Assert.Equal(("succeeded", "v1"), (first.GetProperty("state").GetString(), first.GetProperty("model_version").GetString()));
        Assert.Equal("v2", second.GetProperty("model_version").GetString());
        Assert.Contains(first.GetProperty("report").GetProperty("leakage_warnings").EnumerateArray(), w => w.GetProperty("column").GetString() == "status");
        var models = await api.GetFromJsonAsync<JsonElement>("/api/ai/scoring/models");
        Assert.Equal("v1", models.GetProperty("champion").GetString());
        Assert.Equal(2, models.GetProperty("models").GetArrayLength());
        Assert.InRange(models.GetProperty("models")[1].GetProperty("metrics").GetProperty("auc").GetDouble(), 0.5, 1);

        var promoted = await api.PostAsync("/api/ai/scoring/models/v2/promote", null);
        var unknown = await api.PostAsync("/api/ai/scoring/models/v7/promote", null);
        var v2 = await api.GetFromJsonAsync<JsonElement>("/api/ai/scoring/models/v2");
        var rolledBack = await (await api.PostAsync("/api/ai/scoring/models/rollback", null)).Content.ReadFromJsonAsync<JsonElement>();
        var nothingLeft = await api.PostAsync("/api/ai/scoring/models/rollback", null);

        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.True(v2.GetProperty("champion").GetBoolean());
        Assert.Equal(400, v2.GetProperty("report").GetProperty("rows").GetInt32());
        Assert.Equal("v1", rolledBack.GetProperty("champion").GetString());
        Assert.Equal(HttpStatusCode.Conflict, nothingLeft.StatusCode);
        Assert.Equal(2, await cluster.Database.CountAsync("SELECT count(*) FROM model_versions"));
    }

    /// <summary>
    /// A CRM export names its columns with spaces; a model trained on it must find those columns on a live lead
    /// posted with the same names, or every such feature is silently missing in production.
    /// </summary>
    [Fact]
    public async Task A_model_trained_on_an_export_with_spaced_column_names_scores_live_leads_by_those_attributes()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();
        var random = new Random(27);
        var csv = new StringBuilder("Lead Origin,Total Time Spent on Website,converted\n");
        for (var i = 0; i < 600; i++)
        {
            var origin = random.Next(3) switch { 0 => "API", 1 => "Landing Page Submission", _ => "Lead Import" };
            var seconds = random.Next(0, 2_400);
            var converted = random.NextDouble() < (seconds > 1_000 ? 0.8 : 0.1) + (origin == "Lead Import" ? -0.05 : 0.05);
            csv.Append(CultureInfo.InvariantCulture, $"{origin},{seconds},{(converted ? 1 : 0)}\n");
        }

        var job = await ApiScenario.TrainAsync(api, csv.ToString());
        Assert.Equal("succeeded", job.GetProperty("state").GetString());
        Assert.Equal("comma", job.GetProperty("report").GetProperty("delimiter").GetString());

        async Task<double> ProbabilityAsync(string leadId, int seconds)
        {
            using var created = await api.PostAsJsonAsync("/api/leads", new
            {
                lead_id = leadId,
                attributes = new Dictionary<string, object> { ["Lead Origin"] = "API", [" Total Time Spent on Website "] = seconds },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var score = await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{leadId}?include_insights=true");
            return score.GetProperty("data").GetProperty("conversion_probability").GetDouble();
        }

        var engaged = await ProbabilityAsync("spaced-engaged", 1_532);
        var idle = await ProbabilityAsync("spaced-idle", 20);
        var lead = await api.GetFromJsonAsync<JsonElement>("/api/leads/spaced-engaged");

        Assert.Equal(1_532, lead.GetProperty("attributes").GetProperty("Total Time Spent on Website").GetDouble());
        Assert.Equal("API", lead.GetProperty("attributes").GetProperty("Lead Origin").GetString());
        Assert.True(engaged > idle + 0.3, $"engaged {engaged}, idle {idle}: the model does not see the spaced column on live leads");
    }

    /// <summary>
    /// X Education's "TotalVisits" is what the cluster counts itself once a lead is live: mapped by the schema to
    /// visit_count, the model reads the column in training and the lead's own page views in production.
    /// </summary>
    [Fact]
    public async Task A_column_the_schema_maps_to_a_live_feature_is_fed_by_the_lead_s_activities()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();
        var random = new Random(11);
        var csv = new StringBuilder("TotalVisits,Lead Origin,converted\n");
        for (var i = 0; i < 600; i++)
        {
            var visits = random.Next(0, 25);
            csv.Append(CultureInfo.InvariantCulture, $"{visits},{(random.Next(2) == 0 ? "API" : "Lead Import")},{(random.NextDouble() < (visits > 10 ? 0.85 : 0.1) ? 1 : 0)}\n");
        }

        using var malformed = await api.PostAsync("/api/ai/scoring/model/train", new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())), "file", "leads.csv" },
            { new StringContent("converted"), "label" },
            { new StringContent("{\"columns\": [\"TotalVisits\"]}"), "schema" },
        });
        using var started = await api.PostAsync("/api/ai/scoring/model/train", new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())), "file", "leads.csv" },
            { new StringContent("converted"), "label" },
            { new StringContent("""{"columns": {"TotalVisits": {"feature": "visit_count"}}}"""), "schema" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("\"schema\"", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var job = await ApiScenario.WaitForJobAsync(api, (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status_url").GetString()!);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        Assert.Contains(job.GetProperty("report").GetProperty("schema").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "TotalVisits" && c.GetProperty("live_feature").GetString() == "visit_count");

        async Task<double> ProbabilityAsync(string leadId, int visits)
        {
            // The attribute says 24 visits; only the page views the lead takes count.
            using var created = await api.PostAsJsonAsync("/api/leads", new { lead_id = leadId, attributes = new Dictionary<string, object> { ["TotalVisits"] = 24, ["Lead Origin"] = "API" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var start = DateTimeOffset.UtcNow.AddDays(-2);
            using var recorded = await api.PostAsJsonAsync($"/api/leads/{leadId}/activities", new
            {
                activities = Enumerable.Range(0, visits).Select(v => new { activity_id = $"{leadId}-{v}", type = "page_view", occurred_at = start.AddHours(v) }),
            });
            Assert.Equal(HttpStatusCode.Accepted, recorded.StatusCode);
            var score = await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{leadId}");
            return score.GetProperty("data").GetProperty("conversion_probability").GetDouble();
        }

        var frequent = await ProbabilityAsync("visits-frequent", 20);
        var rare = await ProbabilityAsync("visits-rare", 1);

        Assert.True(frequent > rare + 0.3, $"20 visits {frequent}, 1 visit {rare}: the model does not read the lead's own visits");
    }

    [Fact]
    public async Task Unusable_training_requests_are_refused_or_fail_with_the_reason()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();

        using var noFile = await api.PostAsync("/api/ai/scoring/model/train", new MultipartFormDataContent { { new StringContent("converted"), "label" } });
        using var badSource = await api.PostAsJsonAsync("/api/ai/scoring/model/train", new { source = "warehouse" });
        var oneClass = await ApiScenario.TrainAsync(api, "converted,visits\n" + string.Concat(Enumerable.Repeat("no,3\n", 80)));
        var emptyHistory = await ApiScenario.TrainAsync(api, null);
        using var unknownJob = await api.GetAsync($"/api/ai/scoring/model/train/{Guid.NewGuid():N}");

        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.Contains("\"file\"", await noFile.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badSource.StatusCode);
        Assert.Equal("failed", oneClass.GetProperty("state").GetString());
        Assert.Contains("one class", oneClass.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("failed", emptyHistory.GetProperty("state").GetString());
        Assert.Contains("no leads with recorded outcomes", emptyHistory.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownJob.StatusCode);
        Assert.Equal(0, await cluster.Database.CountAsync("SELECT count(*) FROM model_versions"));
    }

    [Fact]
    public async Task A_workspace_trains_on_its_own_history_of_outcomes()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();
        var leads = await ApiScenario.PostHistoryAsync(api, 220, seed: 4);
        var job = await ApiScenario.TrainAsync(api, null);

        var outcomes = leads.Count(l => l.Outcome is not null);
        Assert.Equal(outcomes, await cluster.Database.CountAsync("SELECT count(*) FROM training_snapshots"));
        Assert.True("succeeded" == job.GetProperty("state").GetString(), job.ToString());
        var report = job.GetProperty("report");
        Assert.Equal(outcomes, report.GetProperty("rows").GetInt32());
        Assert.Equal("latest 20% by recorded_at", report.GetProperty("split").GetString());
        Assert.False(report.TryGetProperty("delimiter", out var delimiter) && delimiter.ValueKind == JsonValueKind.String, "history is no file: it has no delimiter");
        // Both sources of features reach the model: lead attributes and activity aggregates.
        var schema = report.GetProperty("schema").EnumerateArray().ToList();
        Assert.Contains(schema, c => c.GetProperty("source").GetString() == "attribute");
        Assert.Contains(schema, c => c.GetProperty("source").GetString() == "activity");
    }

    private static string Csv(LeadScoring.Modeling.Training.CsvTable table) =>
        string.Join(',', table.Columns) + "\n" + string.Concat(table.Rows.Select(r => string.Join(',', r.Select(c => $"\"{c}\"")) + "\n"));
}
