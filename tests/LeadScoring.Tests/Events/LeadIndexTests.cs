using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LeadScoring.Tests.Events;

/// <summary>
/// The lead index of 10,000 leads with random activity, kept by real silo processes from the events: its order
/// is the order of the leads' own scores, its pages hold still while leads change, an erased lead leaves it.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class LeadIndexTests(ITestOutputHelper output)
{
    private const int Leads = 10_000;

    [Fact]
    public async Task The_index_lists_leads_in_the_order_of_their_own_scores_and_pages_hold_still_under_change()
    {
        await using var cluster = await ProductCluster.StartAsync(siloEnvironment: new Dictionary<string, string>
        {
            ["LEADSCORING_INITIAL_MODEL"] = "simulated",
            ["LeadScoring__Index__Attributes__0"] = "industry",
        }, apiEnvironment: Faults.FaultSettings.Unlimited);
        using var api = cluster.CreateApiClient();
        await ProductCluster.WaitForChampionAsync(api);
        var ids = Enumerable.Range(0, Leads).Select(i => $"indexed-{i:D5}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
            (await api.PostAsJsonAsync("/api/leads", new { lead_id = id, attributes = new { industry = id.EndsWith('0') ? "software" : "retail" } }))
            .EnsureSuccessStatusCode());
        var random = new Random(7);
        await RandomActivityAsync(api, ids, random, 20_000);

        // The leads' own scores, read one by one, in the order the list promises: score descending, then lead id descending.
        var own = new List<(string Id, double Score)>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
        {
            var score = (await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{id}")).GetProperty("data").GetProperty("overall_score").GetDouble();
            lock (own)
            {
                own.Add((id, score));
            }
        });
        var expected = own.OrderByDescending(l => l.Score).ThenByDescending(l => l.Id, StringComparer.Ordinal).Select(l => $"{l.Id}={l.Score}").ToList();

        // Eventually consistent: the index catches up within moments (the lag is a benchmark figure).
        await Eventually.Until(
            async () => (await PagesAsync(api, "sort=-score&limit=200", null)).Select(l => $"{l.GetProperty("lead_id").GetString()}={l.GetProperty("overall_score").GetDouble()}").ToList(),
            listed => listed.SequenceEqual(expected), "the list to equal the leads' own scores", TimeSpan.FromSeconds(90));

        // Pages read while 3,000 activities change scores: every lead once, in the order of the first page's moment.
        var seen = await PagesAsync(api, "sort=-score&limit=100", () => RandomActivityAsync(api, ids, random, 150));
        var seenIds = seen.Select(l => l.GetProperty("lead_id").GetString()!).ToList();
        var scores = seen.Select(l => l.GetProperty("overall_score").GetDouble()).ToList();
        Assert.Equal(Leads, seenIds.Count);
        Assert.Equal(Leads, seenIds.Distinct().Count());
        Assert.True(scores.Zip(scores.Skip(1)).All(p => p.First >= p.Second), "a paged list's scores never rise");

        // Filters, the summary, and an erasure.
        var software = (await api.GetFromJsonAsync<JsonElement>("/api/leads?attribute[industry]=software&grade=A,B,C,D&limit=200")).GetProperty("data");
        Assert.All(software.GetProperty("leads").EnumerateArray(), l => Assert.Equal("software", l.GetProperty("attributes").GetProperty("industry").GetString()));
        var sinceNow = (await api.GetFromJsonAsync<JsonElement>($"/api/leads?scored_since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}&limit=200")).GetProperty("data");
        Assert.Empty(sinceNow.GetProperty("leads").EnumerateArray());
        var improvingToday = (await api.GetFromJsonAsync<JsonElement>($"/api/leads?scored_since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&trend=improving&limit=200"))
            .GetProperty("data").GetProperty("leads").EnumerateArray().ToList();
        Assert.NotEmpty(improvingToday);
        Assert.All(improvingToday, l => Assert.Equal("improving", l.GetProperty("trend").GetString()));
        using var badSince = await api.GetAsync("/api/leads?scored_since=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badSince.StatusCode);
        Assert.Contains("scored_since", await badSince.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var summary = (await api.GetFromJsonAsync<JsonElement>("/api/leads/summary")).GetProperty("data");
        Assert.Equal(Leads, summary.GetProperty("leads").GetInt64());
        Assert.Equal(Leads, summary.GetProperty("score_histogram").EnumerateArray().Sum(b => b.GetInt64()));
        (await api.DeleteAsync($"/api/leads/{ids[0]}")).EnsureSuccessStatusCode();
        Assert.Equal(0, await cluster.Database.CountAsync($"SELECT count(*) FROM lead_index WHERE lead_id = '{ids[0]}'"));
        using var unindexed = await api.GetAsync("/api/leads?attribute[colour]=red");
        Assert.Equal(HttpStatusCode.BadRequest, unindexed.StatusCode);

        // Lost, then rebuilt from the leads by the command.
        await cluster.Database.ScalarAsync("DELETE FROM lead_index");
        var (exitCode, stdout, stderr) = await SiloCommandLine.RunAsync($"reindex --api {api.BaseAddress}",
            new Dictionary<string, string> { ["LEADSCORING_TOKEN"] = TestTokens.Create("admin", "default") });
        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"{Leads - 1} leads indexed", stdout, StringComparison.Ordinal);
        Assert.Equal(Leads - 1, await cluster.Database.CountAsync("SELECT count(*) FROM lead_index WHERE workspace = 'default'"));
        output.WriteLine($"{Leads} leads listed in score order; paged under change: {seenIds.Count} leads, {seenIds.Distinct().Count()} distinct");
    }

    /// <summary>Every page of the list, following next_cursor; <paramref name="between"/> runs between pages.</summary>
    private static async Task<List<JsonElement>> PagesAsync(HttpClient api, string query, Func<Task>? between)
    {
        var leads = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var data = (await api.GetFromJsonAsync<JsonElement>($"/api/leads?{query}{(cursor is null ? "" : $"&cursor={cursor}")}")).GetProperty("data");
            leads.AddRange(data.GetProperty("leads").EnumerateArray());
            cursor = data.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (between is not null)
            {
                await between();
            }
        }
        while (cursor is not null);

        return leads;
    }

    private static async Task RandomActivityAsync(HttpClient api, string[] ids, Random random, int count)
    {
        string[] types = ["page_view", "email_open", "demo_request", "email_click", "form_submit", "meeting"];
        foreach (var chunk in Enumerable.Range(0, count).Chunk(1_000))
        {
            (await api.PostAsJsonAsync("/api/leads/activities/batch", new
            {
                activities = chunk.Select(_ => new
                {
                    lead_id = ids[random.Next(ids.Length)], type = types[random.Next(types.Length)], occurred_at = DateTimeOffset.UtcNow.AddMinutes(-random.Next(600)),
                }),
            })).EnsureSuccessStatusCode();
        }
    }
}
