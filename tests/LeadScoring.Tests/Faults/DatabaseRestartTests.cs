using LeadScoring.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LeadScoring.Tests.Faults;

/// <summary>
/// PostgreSQL stopped at once under a steady activity load on two silos and a separate API, then started again:
/// no answer is a 500, every refusal while it is down is a 503 with Retry-After, the cluster serves again once it
/// is back, and every activity acknowledged is stored (after a restart of every process, each one sent again is
/// a duplicate). With the API's default retries the outage shows as latency (under 1% refused); without them,
/// as 503s.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class DatabaseRestartTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("retrying")]
    [InlineData("not retrying")]
    public async Task A_database_restart_under_load_gets_503s_not_500s_and_loses_nothing_acknowledged(string retries)
    {
        await using var server = await PrivatePostgresServer.StartAsync();
        // Sending every acknowledged activity again takes more tokens than a subject's default burst.
        await using var cluster = await ProductCluster.StartAsync(silos: 2, apiEnvironment: FaultSettings.For(retries), postgresServer: server.ConnectionString);
        using var api = cluster.CreateApiClient();
        var load = await ActivityLoad.StartAsync(api, leads: 20, workers: 6);

        await load.UntilAsync(answers => answers.Count(a => a.Status == 202) >= 200, "200 acknowledged activities before the stop");
        await server.StopAsync();
        var stopped = load.Elapsed;
        // Down until the API has noticed (its readiness check fails) and, without retries, the load has met a 503.
        await Eventually.True(async () =>
        {
            using var ready = await api.GetAsync("/health/ready");
            return ready.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable;
        }, "the API's readiness to report the database down");
        if (retries != "retrying")
        {
            await load.UntilAsync(answers => answers.Any(a => a.Status == 503), "a 503 while the database is down");
        }

        await server.StartPostgresAsync();
        var started = load.Elapsed;
        await load.UntilAsync(_ => load.AcknowledgedAfter(started) >= 200, "200 acknowledged activities after the start");
        await load.StopAsync();

        var wrong = load.Wrong();
        Assert.True(wrong.Count == 0, $"{wrong.Count} wrong answers, e.g. {wrong.FirstOrDefault()}\n{cluster.Errors()}");
        var acknowledged = load.Acknowledged();
        var firstAfter = acknowledged.Where(a => a.Sent >= started).Min(a => a.Sent);
        var refused = load.Answers.Count(a => a.Status == 503);
        if (retries == "retrying")
        {
            Assert.True(refused < load.Answers.Count / 100, $"{refused} of {load.Answers.Count} refused although the API retries");
        }
        else
        {
            Assert.True(refused > 0, "nothing was refused while the database was down");
        }

        var lastRefused = refused == 0 ? "no 503"
            : $"last 503 sent {(load.Answers.Where(a => a.Status == 503).Max(a => a.Sent) - started).TotalSeconds:0.00} s after it was back";
        output.WriteLine($"{retries}: {load.Summary()}; database down {stopped.TotalSeconds:0.0}-{started.TotalSeconds:0.0} s; " +
            $"first acknowledged after it was back: {(firstAfter - started).TotalSeconds:0.00} s later; {lastRefused}");

        // Every process restarts from the database: what each lead remembers of its activity ids is what was stored.
        await cluster.RestartAsync();
        using var again = cluster.CreateApiClient();
        Assert.Equal(0, await load.AcceptedAgainAsync(again));
    }
}
