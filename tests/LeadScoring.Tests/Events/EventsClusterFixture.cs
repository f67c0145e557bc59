using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Events;

/// <summary>
/// One silo and one API process in PostgreSQL mode with webhooks allowed onto loopback and a retry schedule of
/// fractions of a second, and a receiver whose paths answer as the tests need: "flaky" fails twice then takes,
/// "gone" answers 410, every other path takes. Each test uses a workspace of its own.
/// </summary>
public sealed class EventsClusterFixture : IAsyncLifetime
{
    public ProductCluster Cluster { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync((path, nth) => path switch
        {
            "flaky" => nth < 2 ? 500 : 200,
            "gone" => 410,
            _ => 200,
        });
        Cluster = await ProductCluster.StartAsync(siloEnvironment: new Dictionary<string, string>
        {
            ["LEADSCORING_INITIAL_MODEL"] = "simulated",
            ["LeadScoring__Webhooks__AllowPrivateNetworks"] = "true",
            ["LeadScoring__Webhooks__RetrySchedule"] = "00:00:00.2,00:00:00.3,00:00:00.5",
        });
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
