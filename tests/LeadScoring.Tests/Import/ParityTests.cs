using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Training;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Import;

/// <summary>
/// Training–serving parity: a model trained on an export (`./run.sh train --register --predictions`) scores a lead
/// imported from a holdout row exactly as the trainer scored that row, through the whole product: import, the lead
/// grain's encoding of its attributes, the champion cache and the API.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ParityTests
{
    private static readonly string Data = Path.Combine(RepositoryPaths.Root, "..", "shared", "data");

    public static TheoryData<string, string, string, string[], string[]> Exports => new()
    {
        { "leads-xeducation.csv", "Prospect ID", "Converted", [], [] },
        {
            "crm-pipeline/sales_pipeline.csv", "opportunity_id", "deal_stage",
            ["--positive", "Won", "--negative", "Lost", "--deal-value-column", "close_value", "--close-date-column", "close_date"],
            ["crm-pipeline/accounts.csv:account", "crm-pipeline/products.csv:product", "crm-pipeline/sales_teams.csv:sales_agent"]
        },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task Every_holdout_row_imported_as_a_lead_scores_live_as_the_trainer_scored_it(
        string export, string idColumn, string label, string[] labelValues, string[] joins)
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();
        var folder = Directory.CreateTempSubdirectory("leadscoring-parity-");
        try
        {
            var predictionsFile = Path.Combine(folder.FullName, "holdout.csv");
            var joinArguments = string.Concat(joins.Select(j => $" --join \"{Path.Combine(Data, j)}\""));
            var options = string.Concat(labelValues.Select(v => $" {v}"));
            var trained = await RunAsync(cluster,
                $"train --data \"{Path.Combine(Data, export)}\" --label {label}{options}{joinArguments} --search-seconds 3 --register --workspace {WorkspaceKey.DefaultWorkspace} --predictions \"{predictionsFile}\"");
            Assert.True(trained.ExitCode == 0, trained.Output);

            // The holdout rows as an export of their own, with the joined files as they are.
            var table = CsvTable.Load(Path.Combine(Data, export));
            var predictions = CsvTable.Load(predictionsFile);
            var holdout = predictions.Rows.Select(p => table.Rows[int.Parse(p[0], CultureInfo.InvariantCulture) - 2]).ToList();
            var holdoutFile = Path.Combine(folder.FullName, "holdout-rows.csv");
            File.WriteAllText(holdoutFile, Csv(table.Columns, holdout));
            var imported = await RunAsync(cluster, $"import --data \"{holdoutFile}\" --id-column \"{idColumn}\" --label {label}{options}{joinArguments} --api {api.BaseAddress}");
            Assert.True(imported.ExitCode == 0, imported.Output);
            Assert.Contains($"{holdout.Count:N0} created, 0 updated, 0 unchanged, 0 rejected, 0 failed", imported.Output, StringComparison.Ordinal);

            var ids = holdout.Select(row => row[table.IndexOf(idColumn)]).ToList();
            using var response = await api.PostAsJsonAsync("/api/ai/scoring/score/batch", new { leads = ids.Select(id => new { lead_id = id }), include_insights = true });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var scores = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("results").EnumerateArray()
                .ToDictionary(s => s.GetProperty("lead_id").GetString()!);

            var worst = 0.0;
            var differentTop = new List<string>();
            for (var i = 0; i < ids.Count; i++)
            {
                var live = scores[ids[i]];
                var trainer = double.Parse(predictions.Rows[i][2], CultureInfo.InvariantCulture);
                worst = Math.Max(worst, Math.Abs(live.GetProperty("conversion_probability").GetDouble() - trainer));
                var top = live.GetProperty("explanation").GetProperty("contributions")[0].GetProperty("feature").GetString();
                if (top != predictions.Rows[i][3])
                {
                    differentTop.Add($"{ids[i]}: live {top}, trainer {predictions.Rows[i][3]}");
                }
            }

            Assert.Equal(ids.Count, scores.Count);
            if (export.Contains("pipeline", StringComparison.Ordinal))
            {
                // The pipeline's won deals carry their value and close date into the outcome, not into the attributes.
                var wonRow = holdout.First(row => row[table.IndexOf("deal_stage")] == "Won");
                var won = await api.GetFromJsonAsync<JsonElement>($"/api/leads/{wonRow[table.IndexOf(idColumn)]}");
                Assert.Equal(double.Parse(wonRow[table.IndexOf("close_value")], CultureInfo.InvariantCulture), won.GetProperty("outcome").GetProperty("deal_value").GetDouble());
                Assert.Equal(JsonValueKind.String, won.GetProperty("outcome").GetProperty("closed_at").ValueKind);
                Assert.False(won.GetProperty("attributes").TryGetProperty("close_value", out _));
            }

            Assert.True(worst <= 1e-6, $"largest |live - trainer| probability over {ids.Count} holdout rows: {worst}");
            Assert.True(differentTop.Count == 0, string.Join("\n", differentTop.Take(10)));

            // Each score names the model's columns its lead lacks: exactly those whose cell in the row is missing.
            var report = (await api.GetFromJsonAsync<JsonElement>("/api/ai/scoring/models/v1")).GetProperty("report");
            var slots = report.GetProperty("features").EnumerateArray().Select(f => f.GetString()!).ToList();
            var modelColumns = report.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)
                .Where(c => slots.Any(s => s == c || s.StartsWith(c + "=", StringComparison.Ordinal) || s.StartsWith(c + "#", StringComparison.Ordinal))).ToList();
            var joined = joins.Aggregate(table, (left, join) =>
                CsvJoin.LeftJoin(left, CsvTable.Load(Path.Combine(Data, join[..join.LastIndexOf(':')])), join[(join.LastIndexOf(':') + 1)..], Path.GetFileNameWithoutExtension(join[..join.LastIndexOf(':')])));
            var lacking = 0;
            for (var i = 0; i < ids.Count; i++)
            {
                var row = joined.Rows[int.Parse(predictions.Rows[i][0], CultureInfo.InvariantCulture) - 2];
                var expected = modelColumns.Where(c => MissingValues.IsMissing(row[joined.IndexOf(c)])).Order(StringComparer.Ordinal).ToList();
                var said = scores[ids[i]].GetProperty("missing_features").EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal).ToList();
                Assert.Equal(expected, said);
                lacking += said.Count;
            }

            Assert.True(modelColumns.Count > 0);
            Assert.True(lacking > 0 || export.Contains("pipeline", StringComparison.Ordinal), "X Education's holdout has rows with empty cells the model reads");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Csv(IReadOnlyList<string> columns, IEnumerable<string[]> rows)
    {
        static string Field(string cell) => cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
        var csv = new StringBuilder(string.Join(',', columns.Select(Field))).Append('\n');
        foreach (var row in rows)
        {
            csv.Append(string.Join(',', row.Select(Field))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Runs a command of LeadScoring.Silo (what ./run.sh runs) against the cluster's database and API.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(ProductCluster cluster, string arguments)
    {
        var (exitCode, stdout, stderr) = await SiloCommandLine.RunAsync(arguments, new Dictionary<string, string>
        {
            [ClusterSettings.PostgresVariable] = cluster.Database.ConnectionString,
            ["LEADSCORING_TOKEN"] = TestTokens.Create("admin", WorkspaceKey.DefaultWorkspace),
        });
        return (exitCode, stdout + stderr);
    }
}
