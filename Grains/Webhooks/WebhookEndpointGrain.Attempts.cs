using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Grains.Webhooks;

/// <summary>Attempts: sending, recording, retrying on the schedule, and disabling an endpoint that is gone or keeps failing.</summary>
public sealed partial class WebhookEndpointGrain
{
    private readonly Dictionary<string, PendingRetry> _retries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _retrying = new(StringComparer.Ordinal);
    private List<WebhookDelivery> _unsavedAttempts = [];

    public async Task<IReadOnlyList<WebhookDelivery>> Deliveries(int limit)
    {
        await FlushAttempts();
        return await store.DeliveriesAsync(Workspace, WebhookId, limit);
    }

    private const string UnreadableSecret =
        "its signing secret is sealed under a data key this installation does not have: rotate the secret, then enable the webhook";

    public async Task<WebhookDelivery> Test()
    {
        var now = clock.GetUtcNow();
        var ping = EventData.Event(EventTypes.Ping, Workspace, now, null, writer => writer.WriteString("webhook_id", WebhookId));
        var outcome = _keys.Length == 0 ? new DeliveryOutcome(null, 0, UnreadableSecret, null) : await sender.SendAsync(_url!, ping, _keys);
        var attempt = new WebhookDelivery(ping.Id, ping.Type, 1, now, outcome.Status, Math.Round(outcome.LatencyMs, 1), outcome.Error, null);
        _unsavedAttempts.Add(attempt);
        await FlushAttempts();
        return attempt;
    }

    /// <summary>
    /// One attempt to deliver the event. A live event's first attempt counts toward the progress only once it
    /// succeeded or its retry is stored; if the retry cannot be stored the event is queued again.
    /// </summary>
    private async Task Attempt(WorkspaceEvent e, int attempt, bool live)
    {
        _sending++;
        var keep = false;
        try
        {
            if (_url is not { } url)
            {
                return;
            }

            if (_keys.Length == 0)
            {
                await Disable(UnreadableSecret);
                await Forget(e.Id, attempt);
                return;
            }

            var now = clock.GetUtcNow();
            var outcome = await sender.SendAsync(url, e, _keys);
            var next = outcome.Succeeded || outcome.Status == 410 ? null : NextAttemptAt(attempt, outcome.RetryAfter, now);
            _unsavedAttempts.Add(new WebhookDelivery(e.Id, e.Type, attempt, now, outcome.Status, Math.Round(outcome.LatencyMs, 1), outcome.Error, next));
            WebhookMeters.Attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Succeeded ? "delivered" : "failed"));
            if (outcome.Succeeded)
            {
                _failingSince = null;
                await Forget(e.Id, attempt);
                return;
            }

            _failingSince ??= now;
            if (outcome.Status == 410)
            {
                await Disable("the endpoint answered 410 Gone");
                await Forget(e.Id, attempt);
            }
            else if (now - _failingSince >= _options.DisableAfter)
            {
                await Disable($"every delivery failed since {_failingSince:u}");
                await Forget(e.Id, attempt);
            }
            else if (next is { } due)
            {
                var retry = new PendingRetry(e.Id, attempt + 1, due);
                await store.SetRetryAsync(Workspace, WebhookId, retry);
                _retries[e.Id] = retry;
            }
            else
            {
                await Forget(e.Id, attempt);
            }
        }
        catch (Exception failure)
        {
            LogAttemptFailed(failure, WebhookId, e.Id);
            keep = live && attempt == 1;
        }
        finally
        {
            _sending--;
            _retrying.Remove(e.Id);
            if (live && attempt == 1)
            {
                if (keep && _webhook is not null)
                {
                    // Its retry could not be stored: it goes out again rather than be lost (at least once).
                    _ = AttemptAgainLater(e);
                }
                else
                {
                    _inFlight.Remove(e.Position);
                }
            }

            Pump();
        }
    }

    private async Task AttemptAgainLater(WorkspaceEvent e)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), clock);
        if (_webhook is null)
        {
            _inFlight.Remove(e.Position);
            return;
        }

        await Attempt(e, 1, live: true);
    }

    /// <summary>When a failed attempt is tried again: the schedule's wait with ±10% jitter, or later if the endpoint asked; null after the last.</summary>
    private DateTimeOffset? NextAttemptAt(int attempt, TimeSpan? retryAfter, DateTimeOffset now)
    {
        var schedule = _options.Retries()!;
        if (attempt > schedule.Count)
        {
            return null;
        }

        var wait = schedule[attempt - 1] * (0.9 + (0.2 * Random.Shared.NextDouble()));
        return now + (retryAfter is { } asked && asked > wait ? asked : wait);
    }

    private async Task Forget(string eventId, int attempt)
    {
        if (attempt > 1 || _retries.ContainsKey(eventId))
        {
            _retries.Remove(eventId);
            await store.ClearRetryAsync(Workspace, WebhookId, eventId);
        }
    }

    private void StartDueRetries()
    {
        var now = clock.GetUtcNow();
        foreach (var retry in _retries.Values.Where(r => r.NextAttemptAt <= now && !_retrying.Contains(r.EventId)).ToList())
        {
            _retrying.Add(retry.EventId);
            _ = RetryFromOutbox(retry);
        }
    }

    private async Task RetryFromOutbox(PendingRetry retry)
    {
        var e = await outbox.FindAsync(Workspace, retry.EventId);
        if (e is null)
        {
            _retrying.Remove(retry.EventId);
            _unsavedAttempts.Add(new WebhookDelivery(retry.EventId, "", retry.Attempt, clock.GetUtcNow(), null, 0, "the event is past the outbox's retention", null));
            await Forget(retry.EventId, retry.Attempt);
            return;
        }

        await Attempt(e, retry.Attempt, live: false);
    }

    private async Task LoadRetries()
    {
        foreach (var retry in await store.RetriesAsync(Workspace, WebhookId))
        {
            _retries[retry.EventId] = retry;
        }
    }

    private async Task FlushAttempts()
    {
        if (_unsavedAttempts.Count == 0)
        {
            return;
        }

        var attempts = _unsavedAttempts;
        _unsavedAttempts = [];
        try
        {
            await store.RecordAttemptsAsync(Workspace, WebhookId, attempts);
        }
        catch (Exception e)
        {
            LogAttemptsNotRecorded(e, WebhookId, attempts.Count);
            _unsavedAttempts.InsertRange(0, attempts);
        }
    }

    /// <summary>Disables the endpoint, says so in the audit trail and with a webhook.disabled event, and drops its queue.</summary>
    private async Task Disable(string reason)
    {
        if (_webhook is not { Webhook.Enabled: true } stored)
        {
            return;
        }

        var now = clock.GetUtcNow();
        _webhook = stored with { Webhook = stored.Webhook with { Enabled = false, DisabledReason = reason, UpdatedAt = now } };
        await store.SaveAsync(_webhook);
        _queue.Clear();
        _replays.Clear();
        LogDisabled(WebhookId, reason);
        await outbox.AppendAsync([EventData.Event(EventTypes.WebhookDisabled, Workspace, now, null, writer =>
        {
            writer.WriteString("webhook_id", WebhookId);
            writer.WriteString("url", stored.Webhook.Url);
            writer.WriteString("reason", reason);
        })]);
        await audit.RecordAsync(Workspace, "webhook.disabled", $"webhook:{WebhookId}", reason, $"webhook/{WebhookId}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A delivery to webhook {WebhookId} of event {EventId} failed in the silo")]
    private partial void LogAttemptFailed(Exception e, string webhookId, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} delivery attempts of webhook {WebhookId} could not be recorded yet")]
    private partial void LogAttemptsNotRecorded(Exception e, string webhookId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} was disabled: {Reason}")]
    private partial void LogDisabled(string webhookId, string reason);
}
