using LeadScoring.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LeadScoring.Tests.Faults;

/// <summary>
/// The API process killed (SIGKILL) under a steady activity load and started again: requests get no answer only
/// while it is gone, nothing else is a 5xx, and every activity acknowledged before or after is stored.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ApiKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_api_killed_under_load_loses_nothing_acknowledged_and_serves_again_once_restarted()
    {
        await using var cluster = await ProductCluster.StartAsync(silos: 2, apiEnvironment: FaultSettings.Unlimited);
        using var api = cluster.CreateApiClient();
        var load = await ActivityLoad.StartAsync(api, leads: 20, workers: 6);

        await load.UntilAsync(answers => answers.Count(a => a.Status == 202) >= 200, "200 acknowledged activities before the kill");
        var killed = load.Elapsed;
        await cluster.KillApiAsync(0);
        await cluster.StartApiAsync(0);
        var ready = load.Elapsed;
        await load.UntilAsync(_ => load.AcknowledgedAfter(ready) >= 200, "200 acknowledged activities after the restart");
        await load.StopAsync();

        var wrong = load.Wrong(apiDown: (killed, ready));
        Assert.True(wrong.Count == 0, $"{wrong.Count} wrong answers, e.g. {wrong.FirstOrDefault()}\n{cluster.Errors()}");
        output.WriteLine($"{load.Summary()}; API killed at {killed.TotalSeconds:0.0} s, ready again at {ready.TotalSeconds:0.0} s");

        await cluster.RestartAsync();
        using var again = cluster.CreateApiClient();
        Assert.Equal(0, await load.AcceptedAgainAsync(again));
    }
}
