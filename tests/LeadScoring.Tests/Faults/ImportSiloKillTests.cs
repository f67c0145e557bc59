using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LeadScoring.Tests.Faults;

/// <summary>
/// One of two silos killed (SIGKILL) while the X Education export imports: the job ends (succeeded, or failed
/// because its own silo died) instead of running forever, and importing the file again leaves every row stored
/// exactly once with its outcome, whichever silo died and whatever the first job had stored.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ImportSiloKillTests(ITestOutputHelper output)
{
    private static readonly string XEducation = Path.Combine(RepositoryPaths.Root, "..", "shared", "data", "leads-xeducation.csv");

    [Fact]
    public async Task A_silo_killed_during_an_import_leaves_a_job_that_ends_and_importing_again_completes_every_row_once()
    {
        await using var cluster = await ProductCluster.StartAsync(silos: 2);
        using var api = cluster.CreateApiClient();

        var first = await StartAsync(api);
        await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>(first),
            status => status.GetProperty("processed").GetInt32() >= 500 || status.GetProperty("state").GetString() != "running", "500 rows imported");

        await cluster.KillSiloAsync(1);
        var ended = await ApiScenario.WaitForJobAsync(api, first);
        var again = await ApiScenario.WaitForJobAsync(api, await StartAsync(api));
        output.WriteLine($"first job: {ended}");
        output.WriteLine($"second job: {again}");

        Assert.Contains(ended.GetProperty("state").GetString(), new[] { "succeeded", "failed" });
        Assert.Equal("succeeded", again.GetProperty("state").GetString());
        Assert.Equal((0, 0), (again.GetProperty("rejected").GetInt32(), again.GetProperty("failed").GetInt32()));
        Assert.Equal(9_237, again.GetProperty("created").GetInt32() + again.GetProperty("updated").GetInt32() + again.GetProperty("unchanged").GetInt32());
        Assert.Equal(9_237, await cluster.Database.CountAsync("SELECT count(*) FROM lead_state"));
        Assert.Equal(9_237, await cluster.Database.CountAsync("SELECT count(*) FROM training_snapshots"));
    }

    private static async Task<string> StartAsync(HttpClient api)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(XEducation)), "file", "leads-xeducation.csv" },
            { new StringContent("Prospect ID"), "id_column" },
            { new StringContent("Converted"), "label" },
        };
        using var response = await api.PostAsync("/api/leads/import", form);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status_url").GetString()!;
    }
}
