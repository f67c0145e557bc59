using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Clients;

/// <summary>
/// samples/OrleansClientService, run as its own process against the cluster's silos: it finds them through
/// PostgreSQL, upserts leads and reads their scores through ILeadGrain, and the API then shows the same leads and
/// scores.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
[Collection(ClientsCluster.Name)]
public class OrleansClientSampleTests(ClientsClusterFixture fixture)
{
    private static string SampleDll => Path.Combine(
        RepositoryPaths.Root, "samples", "OrleansClientService", "bin", RepositoryPaths.Configuration, "net10.0", "LeadScoring.Samples.OrleansClientService.dll");

    [Fact]
    public async Task The_sample_syncs_leads_through_the_lead_grains_and_the_API_shows_the_same_scores()
    {
        var leads = SyntheticCrm.Generate(3, seed: 93, DateTimeOffset.UtcNow).Select((l, i) => l with { LeadId = $"sample-lead-{i}" }).ToList();

        var (exitCode, stdout, stderr) = await RunSampleAsync(leads.Select(LeadLine));

        Assert.True(exitCode == 0, stderr);
        var synced = Lines(stdout);
        Assert.Equal(leads.Select(l => l.LeadId), synced.Select(s => s.GetProperty("lead_id").GetString()));
        var champion = (await fixture.Http.GetFromJsonAsync<JsonElement>("/api/ai/scoring/models")).GetProperty("champion").GetString();
        foreach (var (lead, line) in leads.Zip(synced))
        {
            Assert.Equal("ok", line.GetProperty("status").GetString());
            Assert.Equal(champion, line.GetProperty("model_version").GetString());
            var stored = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/leads/{lead.LeadId}");
            Assert.Equal(lead.Activities.Count, stored.GetProperty("activity_count").GetInt64());
            Assert.Equal(lead.Attributes["industry"].ToString(), stored.GetProperty("attributes").GetProperty("industry").GetString());
            var score = (await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{lead.LeadId}")).GetProperty("data");
            Assert.Equal(line.GetProperty("overall_score").GetDouble(), score.GetProperty("overall_score").GetDouble(), 1e-6);
            Assert.Equal(line.GetProperty("grade").GetString(), score.GetProperty("grade").GetString());
        }
    }

    [Fact]
    public async Task A_lead_the_contract_refuses_is_reported_with_a_failing_exit_code_and_nothing_of_it_is_stored()
    {
        var bad = JsonSerializer.Serialize(new
        {
            lead_id = "sample-refused",
            attributes = new { industry = "retail" },
            activities = new[] { new { type = "fax", occurred_at = DateTimeOffset.UtcNow } },
        });

        var (exitCode, stdout, stderr) = await RunSampleAsync([bad]);

        Assert.Equal(1, exitCode);
        Assert.Equal("invalid", Assert.Single(Lines(stdout)).GetProperty("status").GetString());
        Assert.Contains("unknown activity type 'fax'", stderr, StringComparison.Ordinal);
        using var lookup = await fixture.Http.GetAsync("/api/leads/sample-refused");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, lookup.StatusCode);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunSampleAsync(IEnumerable<string> lines)
    {
        var input = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(input, lines);
            var start = new ProcessStartInfo("dotnet") { ArgumentList = { SampleDll, input } };
            var silo = fixture.Cluster.SiloEnvironment();
            ChildEnvironment.Apply(start, new Dictionary<string, string>
            {
                [ClusterSettings.PostgresVariable] = silo[ClusterSettings.PostgresVariable],
                ["LEADSCORING_CLUSTER_ID"] = silo["LEADSCORING_CLUSTER_ID"],
                ["LEADSCORING_SERVICE_ID"] = silo["LEADSCORING_SERVICE_ID"],
            });
            return await CommandLine.RunAsync(start);
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static string LeadLine(SimulatedLead lead) => JsonSerializer.Serialize(new
    {
        lead_id = lead.LeadId,
        attributes = ApiScenario.WireAttributes(lead),
        activities = lead.Activities.Select(a => new { activity_id = a.ActivityId, type = a.Type.ToWireName(), occurred_at = a.OccurredAt }),
    });

    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonDocument.Parse(l).RootElement)];
}
