using System.Collections.Concurrent;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Webhooks;

/// <summary>Memory mode: the same records in this silo's memory, gone with it.</summary>
public sealed class MemoryWebhookStore : IWebhookStore
{
    private const int KeptAttempts = 10_000;

    private readonly ConcurrentDictionary<(string, string), StoredWebhook> _webhooks = new();
    private readonly ConcurrentDictionary<(string, string), List<WebhookDelivery>> _attempts = new();
    private readonly ConcurrentDictionary<(string, string), ConcurrentDictionary<string, PendingRetry>> _retries = new();

    public Task<IReadOnlyList<StoredWebhook>> ListAsync(string workspace) =>
        Task.FromResult<IReadOnlyList<StoredWebhook>>(
            [.. _webhooks.Values.Where(w => w.Workspace == workspace).OrderBy(w => w.Webhook.CreatedAt).ThenBy(w => w.Webhook.Id, StringComparer.Ordinal)]);

    public Task<StoredWebhook?> GetAsync(string workspace, string webhookId) => Task.FromResult(_webhooks.GetValueOrDefault((workspace, webhookId)));

    public Task SaveAsync(StoredWebhook webhook)
    {
        _webhooks.AddOrUpdate((webhook.Workspace, webhook.Webhook.Id), webhook,
            (_, old) => webhook with { FailingSince = old.FailingSince, DeliveredThrough = old.DeliveredThrough });
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string workspace, string webhookId)
    {
        _webhooks.TryRemove((workspace, webhookId), out _);
        _attempts.TryRemove((workspace, webhookId), out _);
        _retries.TryRemove((workspace, webhookId), out _);
        return Task.CompletedTask;
    }

    public Task SaveProgressAsync(string workspace, string webhookId, long deliveredThrough, DateTimeOffset? failingSince)
    {
        if (_webhooks.TryGetValue((workspace, webhookId), out var webhook))
        {
            _webhooks[(workspace, webhookId)] = webhook with { DeliveredThrough = deliveredThrough, FailingSince = failingSince };
        }

        return Task.CompletedTask;
    }

    public Task RecordAttemptsAsync(string workspace, string webhookId, IReadOnlyList<WebhookDelivery> attempts)
    {
        var kept = _attempts.GetOrAdd((workspace, webhookId), _ => []);
        lock (kept)
        {
            kept.AddRange(attempts);
            if (kept.Count > KeptAttempts)
            {
                kept.RemoveRange(0, kept.Count - KeptAttempts);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(string workspace, string webhookId, int limit)
    {
        if (!_attempts.TryGetValue((workspace, webhookId), out var kept))
        {
            return Task.FromResult<IReadOnlyList<WebhookDelivery>>([]);
        }

        lock (kept)
        {
            return Task.FromResult<IReadOnlyList<WebhookDelivery>>([.. Enumerable.Reverse(kept).Take(limit)]);
        }
    }

    public Task SetRetryAsync(string workspace, string webhookId, PendingRetry retry)
    {
        _retries.GetOrAdd((workspace, webhookId), _ => new())[retry.EventId] = retry;
        return Task.CompletedTask;
    }

    public Task ClearRetryAsync(string workspace, string webhookId, string eventId)
    {
        if (_retries.TryGetValue((workspace, webhookId), out var retries))
        {
            retries.TryRemove(eventId, out _);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingRetry>> RetriesAsync(string workspace, string webhookId) =>
        Task.FromResult<IReadOnlyList<PendingRetry>>(
            _retries.TryGetValue((workspace, webhookId), out var retries) ? [.. retries.Values.OrderBy(r => r.NextAttemptAt)] : []);

    public Task DeleteAttemptsBeforeAsync(DateTimeOffset cutoff)
    {
        foreach (var kept in _attempts.Values)
        {
            lock (kept)
            {
                kept.RemoveAll(a => a.AttemptedAt < cutoff);
            }
        }

        return Task.CompletedTask;
    }
}
