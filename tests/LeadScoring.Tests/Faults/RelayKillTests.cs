using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LeadScoring.Tests.Faults;

/// <summary>
/// The silo that publishes the outbox killed (SIGKILL) while events flow to a webhook: the other silo takes the
/// relay over, and every committed event reaches the receiver at least once, and nothing that was not committed.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class RelayKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_relay_s_silo_loses_no_committed_event_and_invents_none()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var cluster = await ProductCluster.StartAsync(silos: 2, siloEnvironment: new Dictionary<string, string>
        {
            ["LEADSCORING_INITIAL_MODEL"] = "simulated",
            ["LeadScoring__Webhooks__AllowPrivateNetworks"] = "true",
            ["LeadScoring__Webhooks__RetrySchedule"] = "00:00:00.5,00:00:01,00:00:02,00:00:05",
        });
        using var api = cluster.CreateApiClient();
        await ProductCluster.WaitForChampionAsync(api);
        (await api.PostAsJsonAsync("/api/webhooks", new { url = $"{receiver.BaseUrl}/relay", event_types = new[] { "lead.scored" } })).EnsureSuccessStatusCode();
        var load = await ActivityLoad.StartAsync(api, leads: 200, workers: 4);
        await receiver.WaitForAsync(r => r.Count > 100, "100 deliveries before the kill");

        var owner = (string)(await cluster.Database.ScalarAsync("SELECT owner FROM event_relay_lease"))!;
        var relaySilo = Enumerable.Range(0, 2).Single(i => owner.Contains($":{cluster.SiloPorts[i]}:", StringComparison.Ordinal));
        await cluster.KillSiloAsync(relaySilo);
        // The load goes on until the other silo has taken the relay over and delivered 100 events more.
        var newOwner = await Eventually.Until(async () => (string)(await cluster.Database.ScalarAsync("SELECT owner FROM event_relay_lease"))!,
            current => current != owner, "another silo to take the relay's lease", TimeSpan.FromSeconds(90));
        var atTakeover = receiver.Received.Count;
        await receiver.WaitForAsync(r => r.Count > atTakeover + 100, "100 deliveries after the takeover");
        await load.StopAsync();

        var committed = (await cluster.Database.StringsAsync("SELECT event_id FROM event_outbox WHERE type = 'lead.scored'")).ToHashSet();
        var received = await receiver.WaitForAsync(r => committed.IsSubsetOf(r.Select(x => x.Id)), "every committed event", TimeSpan.FromSeconds(150));
        var ids = received.Select(r => r.Id).ToHashSet();
        output.WriteLine($"relay on silo {relaySilo} ({owner}), then {newOwner}; {load.Summary()}");
        output.WriteLine($"{committed.Count} events committed, {received.Count} deliveries, {ids.Count} distinct, {committed.Except(ids).Count()} missing");

        Assert.NotEqual(owner, newOwner);
        Assert.Empty(committed.Except(ids));
        Assert.Empty(ids.Except(committed));
        Assert.True(committed.Count > load.Acknowledged().Count, "every acknowledged activity has its lead.scored event");
        Assert.All(received, r => Assert.Equal(r.Id, JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()));
    }
}
