using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Faults;

/// <summary>
/// A stock PostgreSQL (max_connections 100, as ./test.sh runs it) holds a silo and an API at full tilt: a batch
/// score of 10,000 leads that all read their activities for the first time, with 64 readers alongside, fails
/// nothing. Before the pools had a budget, each first read took a connection of its own and the server refused
/// the hundredth.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ConnectionBudgetTests
{
    private const int Leads = 10_000;
    private const int Readers = 64;

    [Fact]
    public async Task A_batch_of_10000_first_reads_and_64_readers_succeed_on_a_stock_server()
    {
        await using var cluster = await ProductCluster.StartAsync(
            apiEnvironment: FaultSettings.Unlimited,
            siloEnvironment: new Dictionary<string, string> { ["LEADSCORING_INITIAL_MODEL"] = "simulated" });
        using var api = cluster.CreateApiClient();
        await ProductCluster.WaitForChampionAsync(api);
        var ids = Enumerable.Range(0, Leads).Select(i => $"lead-{i}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
            (await api.PostAsJsonAsync("/api/leads", new { lead_id = id, attributes = new { industry = "retail" } })).EnsureSuccessStatusCode());
        foreach (var chunk in ids.Chunk(1_000))
        {
            (await api.PostAsJsonAsync("/api/leads/activities/batch", new
            {
                activities = chunk.Select(id => new { lead_id = id, type = "page_view", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-1) }),
            })).EnsureSuccessStatusCode();
        }

        // Every lead is read from the database again, activities and all, by the batch and the readers at once.
        await cluster.RestartAsync();
        using var again = cluster.CreateApiClient();
        await ProductCluster.WaitForChampionAsync(again);
        var readerStatuses = new ConcurrentBag<int>();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, Readers).Select(reader => Task.Run(async () =>
        {
            var random = new Random(reader);
            while (!stop.IsCancellationRequested)
            {
                using var response = await again.GetAsync($"/api/ai/scoring/score/{ids[random.Next(Leads)]}?include_insights=true");
                readerStatuses.Add((int)response.StatusCode);
            }
        })).ToList();
        using var batch = await again.PostAsJsonAsync("/api/ai/scoring/score/batch", new { leads = ids.Select(id => new { lead_id = id }) });
        var body = await batch.Content.ReadFromJsonAsync<JsonElement>();
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.True(batch.IsSuccessStatusCode, body.ToString());
        var data = body.GetProperty("data");
        Assert.Equal(Leads, data.GetProperty("results").GetArrayLength());
        Assert.Equal(0, data.GetProperty("failed").GetArrayLength());
        Assert.NotEmpty(readerStatuses);
        Assert.All(readerStatuses, status => Assert.Equal(200, status));
    }
}
