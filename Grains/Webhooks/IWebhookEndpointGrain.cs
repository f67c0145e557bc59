using LeadScoring.Grains.Interfaces;

using Orleans.Concurrency;

namespace LeadScoring.Grains.Webhooks;

/// <summary>One webhook endpoint's deliveries (keyed "{workspace}/{webhook_id}"): see <see cref="WebhookEndpointGrain"/>.</summary>
[Alias("LeadScoring.IWebhookEndpointGrain")]
public interface IWebhookEndpointGrain : IGrainWithStringKey
{
    /// <summary>Events of the endpoint's types were published: the endpoint reads the outbox. One-way: the dispatcher does not wait.</summary>
    [Alias("Wake")]
    [OneWay]
    Task Wake();

    /// <summary>Reads the endpoint's settings and secrets again after they changed.</summary>
    [Alias("Reconfigure")]
    Task Reconfigure();

    /// <summary>The endpoint's attempts, newest first, those of the last moments included.</summary>
    [Alias("Deliveries")]
    Task<IReadOnlyList<WebhookDelivery>> Deliveries(int limit);

    [Alias("Test")]
    Task<WebhookDelivery> Test();

    /// <summary>Queues the endpoint's events after the position again; returns how many.</summary>
    [Alias("Replay")]
    Task<int> Replay(long afterPosition);

    /// <summary>The endpoint was deleted: drop everything queued.</summary>
    [Alias("Stop")]
    Task Stop();
}
