using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Webhooks;

/// <summary>A webhook as stored: its settings, its sealed secrets and how far its deliveries got.</summary>
/// <param name="FailingSince">When its current run of failed deliveries began; null while it succeeds.</param>
/// <param name="DeliveredThrough">Every event of the workspace up to this outbox position was delivered or has its retry stored.</param>
public sealed record StoredWebhook(
    string Workspace, Webhook Webhook, string SealedSecret, string? SealedPreviousSecret, DateTimeOffset? FailingSince, long DeliveredThrough);

/// <summary>A failed delivery's next try.</summary>
public sealed record PendingRetry(string EventId, int Attempt, DateTimeOffset NextAttemptAt);

/// <summary>Where webhooks, their delivery attempts and their pending retries are kept; one implementation per storage mode.</summary>
public interface IWebhookStore
{
    Task<IReadOnlyList<StoredWebhook>> ListAsync(string workspace);

    Task<StoredWebhook?> GetAsync(string workspace, string webhookId);

    /// <summary>Creates or replaces the webhook's settings and secrets (not its progress).</summary>
    Task SaveAsync(StoredWebhook webhook);

    /// <summary>Deletes the webhook with its attempts and retries.</summary>
    Task DeleteAsync(string workspace, string webhookId);

    Task SaveProgressAsync(string workspace, string webhookId, long deliveredThrough, DateTimeOffset? failingSince);

    Task RecordAttemptsAsync(string workspace, string webhookId, IReadOnlyList<WebhookDelivery> attempts);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(string workspace, string webhookId, int limit);

    Task SetRetryAsync(string workspace, string webhookId, PendingRetry retry);

    Task ClearRetryAsync(string workspace, string webhookId, string eventId);

    Task<IReadOnlyList<PendingRetry>> RetriesAsync(string workspace, string webhookId);

    /// <summary>Deletes attempts made before <paramref name="cutoff"/> (the outbox's retention).</summary>
    Task DeleteAttemptsBeforeAsync(DateTimeOffset cutoff);
}
