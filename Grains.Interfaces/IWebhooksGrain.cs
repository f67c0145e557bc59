namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// A workspace's webhook endpoints (keyed by the workspace): their settings, secrets and deliveries. The grain also
/// follows the workspace's event stream and hands each endpoint the events it subscribed to.
/// </summary>
[Alias("LeadScoring.IWebhooksGrain")]
public interface IWebhooksGrain : IGrainWithStringKey
{
    /// <summary>Registers an endpoint; the answer carries its secret, which is never shown again.</summary>
    [Alias("Create")]
    Task<WebhookResult> Create(WebhookSettings settings);

    [Alias("List")]
    Task<IReadOnlyList<Webhook>> List();

    [Alias("Get")]
    Task<Webhook?> Get(string webhookId);

    [Alias("Update")]
    Task<WebhookResult> Update(string webhookId, WebhookSettings settings);

    /// <summary>A new secret; the old one keeps signing too for <paramref name="gracePeriod"/>.</summary>
    [Alias("RotateSecret")]
    Task<WebhookResult> RotateSecret(string webhookId, TimeSpan gracePeriod);

    /// <summary>False when there was no such endpoint.</summary>
    [Alias("Delete")]
    Task<bool> Delete(string webhookId);

    /// <summary>The endpoint's delivery attempts, newest first; null when there is no such endpoint.</summary>
    [Alias("Deliveries")]
    Task<IReadOnlyList<WebhookDelivery>?> Deliveries(string webhookId, int limit);

    /// <summary>Sends a ping event now and answers with the attempt; null when there is no such endpoint.</summary>
    [Alias("Test")]
    Task<WebhookDelivery?> Test(string webhookId);

    /// <summary>Delivers the endpoint's events again from the outbox.</summary>
    [Alias("Replay")]
    Task<WebhookReplayResult> Replay(string webhookId, WebhookReplay replay);
}
