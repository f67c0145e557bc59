using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LeadScoring.Tests.Faults;

/// <summary>
/// PostgreSQL stopped at once under a steady activity load on two silos and a separate API, then started again:
/// no answer is a 500, every refusal while it is down is a 503 with Retry-After, the cluster serves again once it
/// is back, and every activity acknowledged is stored (after a restart of every process, each one sent again is
/// a duplicate).
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class DatabaseRestartTests(ITestOutputHelper output)
{
    private const int Leads = 20;
    private const int Workers = 6;
    private static readonly TimeSpan BeforeFault = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AfterFault = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_database_restart_under_load_gets_503s_not_500s_and_loses_nothing_acknowledged()
    {
        await using var server = await PrivatePostgresServer.StartAsync();
        // Sending every acknowledged activity again takes more tokens than a subject's default burst.
        await using var cluster = await ProductCluster.StartAsync(
            silos: 2,
            apiEnvironment: new Dictionary<string, string> { ["LeadScoring__RateLimits__PerSubject__PerSecond"] = "1000000", ["LeadScoring__RateLimits__PerSubject__Burst"] = "1000000" },
            postgresServer: server.ConnectionString);
        using var api = cluster.CreateApiClient();
        for (var i = 0; i < Leads; i++)
        {
            (await api.PostAsJsonAsync("/api/leads", new { lead_id = $"lead-{i}", attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
        }

        var answers = new ConcurrentBag<Answer>();
        var clock = Stopwatch.StartNew();
        var deadline = BeforeFault + Down + AfterFault;
        var load = Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var n = 0; clock.Elapsed < deadline; n++)
            {
                var lead = $"lead-{random.Next(Leads)}";
                var id = $"w{worker}-{n}";
                var sent = clock.Elapsed;
                using var response = await api.PostAsJsonAsync($"/api/leads/{lead}/activities", new
                {
                    activities = new[] { new { activity_id = id, type = "page_view", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-1) } },
                });
                answers.Add(new Answer(lead, id, (int)response.StatusCode, response.Headers.RetryAfter is not null, sent, await response.Content.ReadAsStringAsync()));
            }
        })));

        await Task.Delay(BeforeFault);
        await server.StopAsync();
        var stopped = clock.Elapsed;
        await Task.Delay(Down);
        await server.StartPostgresAsync();
        var started = clock.Elapsed;
        await load;

        var serverErrors = answers.Where(a => a.Status >= 500 && a.Status != 503).ToList();
        Assert.True(serverErrors.Count == 0, $"{serverErrors.Count} server errors, e.g. {serverErrors.FirstOrDefault()}\n{cluster.Errors()}");
        var unavailable = answers.Where(a => a.Status == 503).ToList();
        Assert.All(unavailable, a => Assert.True(a.RetryAfter, $"503 without Retry-After: {a}"));
        var acknowledged = answers.Where(a => a.Status == 202).ToList();
        Assert.Contains(acknowledged, a => a.Sent > started + TimeSpan.FromSeconds(5));
        var firstAfter = acknowledged.Where(a => a.Sent >= started).Select(a => a.Sent).DefaultIfEmpty(deadline).Min();
        var lastRefused = unavailable.Select(a => a.Sent).DefaultIfEmpty(stopped).Max();
        output.WriteLine($"{answers.Count} requests: {acknowledged.Count} acknowledged, {unavailable.Count} 503 ({100.0 * unavailable.Count / answers.Count:0.0}%); " +
            $"database down {stopped.TotalSeconds:0.0}-{started.TotalSeconds:0.0} s; first acknowledged after it was back: {(firstAfter - started).TotalSeconds:0.00} s later; " +
            $"last 503 sent {(lastRefused - started).TotalSeconds:0.00} s after it was back; " +
            $"other statuses: {string.Join(", ", answers.Where(a => a.Status is not (202 or 503)).GroupBy(a => a.Status).Select(g => $"{g.Key} x{g.Count()}"))}");

        // Every process restarts from the database: what each lead remembers of its activity ids is what was stored.
        await cluster.RestartAsync();
        using var again = cluster.CreateApiClient();
        var duplicates = 0;
        var accepted = 0;
        foreach (var chunk in acknowledged.Chunk(1_000))
        {
            using var response = await again.PostAsJsonAsync("/api/leads/activities/batch", new
            {
                activities = chunk.Select(a => new { lead_id = a.Lead, activity_id = a.Id, type = "page_view", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-1) }),
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
            duplicates += results.Sum(r => r.GetProperty("duplicate").GetInt32());
            accepted += results.Sum(r => r.GetProperty("accepted").GetInt32());
        }

        Assert.Equal(0, accepted);
        Assert.Equal(acknowledged.Count, duplicates);
    }

    private sealed record Answer(string Lead, string Id, int Status, bool RetryAfter, TimeSpan Sent, string Body)
    {
        public override string ToString() => $"{Status} at {Sent.TotalSeconds:0.00} s for {Lead}/{Id}: {Body[..Math.Min(300, Body.Length)]}";
    }
}
