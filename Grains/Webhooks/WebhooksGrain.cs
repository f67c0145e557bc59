using System.Security.Cryptography;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.PersonalData;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace LeadScoring.Grains.Webhooks;

/// <summary>
/// A workspace's webhooks: their settings and secrets, and the dispatcher of its events to them. It follows the
/// workspace's stream (an implicit subscription: it is there whenever the workspace has events) and hands each
/// event to the endpoints subscribed to its type, which deliver on their own.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
public sealed class WebhooksGrain(
    IWebhookStore store, IEventOutbox outbox, PersonalDataProtector protector, IOptions<WebhookOptions> options, TimeProvider clock)
    : Grain, IWebhooksGrain, IWorkspaceScoped, IStreamSubscriptionObserver, IAsyncObserver<EventBatch>
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);
    private const string IdAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    // The enabled endpoints the events go to (an endpoint that disabled itself is dropped at the next refresh).
    private IReadOnlyList<Webhook> _dispatching = [];

    public string Workspace => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReadDispatching();
        this.RegisterGrainTimer(_ => ReadDispatching(), new GrainTimerCreationOptions(Refresh, Refresh) { Interleave = true });
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<EventBatch>().ResumeAsync(this);

    public Task OnNextAsync(EventBatch item, StreamSequenceToken? token = null)
    {
        var endpoints = _dispatching.Where(w => item.Events.Any(e => w.EventTypes.Contains(e.Type, StringComparer.Ordinal))).ToList();
        foreach (var endpoint in endpoints)
        {
            Endpoint(endpoint.Id).Wake().Ignore();
        }

        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public async Task<WebhookResult> Create(WebhookSettings settings)
    {
        var errors = await Validate(settings, creating: true);
        if ((await store.ListAsync(Workspace)).Count >= WebhookRules.MaxWebhooksPerWorkspace)
        {
            errors.Add(new ValidationError("url", $"a workspace may have at most {WebhookRules.MaxWebhooksPerWorkspace} webhooks"));
        }

        if (errors.Count > 0)
        {
            return new WebhookResult(WebhookStatus.Invalid, null, errors);
        }

        var now = clock.GetUtcNow();
        var id = NewId();
        var key = WebhookSignature.NewKey();
        var webhook = new Webhook(id, settings.Url!, [.. settings.EventTypes!.Distinct(StringComparer.Ordinal)], settings.Filter, settings.Description,
            settings.Enabled ?? true, now, now, null, null);
        // Events from now on: those already published are not owed to an endpoint that did not exist.
        var from = await outbox.PositionBeforeAsync(Workspace, now);
        await store.SaveAsync(new StoredWebhook(Workspace, webhook, protector.SealSecret(key, WebhookSecrets.Owner(Workspace, id)), null, null, from));
        await ReadDispatching();
        return new WebhookResult(WebhookStatus.Ok, webhook, [], WebhookSignature.SecretOf(key));
    }

    public async Task<IReadOnlyList<Webhook>> List() => [.. (await store.ListAsync(Workspace)).Select(w => w.Webhook)];

    public async Task<Webhook?> Get(string webhookId) => (await store.GetAsync(Workspace, webhookId))?.Webhook;

    public async Task<WebhookResult> Update(string webhookId, WebhookSettings settings)
    {
        if (await store.GetAsync(Workspace, webhookId) is not { } stored)
        {
            return new WebhookResult(WebhookStatus.NotFound, null, []);
        }

        var errors = await Validate(settings, creating: false);
        if (errors.Count > 0)
        {
            return new WebhookResult(WebhookStatus.Invalid, null, errors);
        }

        var current = stored.Webhook;
        var enabled = settings.Enabled ?? current.Enabled;
        var updated = current with
        {
            Url = settings.Url ?? current.Url,
            EventTypes = settings.EventTypes is { } types ? [.. types.Distinct(StringComparer.Ordinal)] : current.EventTypes,
            Filter = settings.ClearFilter ? null : settings.Filter ?? current.Filter,
            Description = settings.Description ?? current.Description,
            Enabled = enabled,
            DisabledReason = enabled ? null : settings.Enabled == false ? null : current.DisabledReason,
            UpdatedAt = clock.GetUtcNow(),
        };
        await store.SaveAsync(stored with { Webhook = updated });
        await Endpoint(webhookId).Reconfigure();
        await ReadDispatching();
        return new WebhookResult(WebhookStatus.Ok, updated, []);
    }

    public async Task<WebhookResult> RotateSecret(string webhookId, TimeSpan gracePeriod)
    {
        if (await store.GetAsync(Workspace, webhookId) is not { } stored)
        {
            return new WebhookResult(WebhookStatus.NotFound, null, []);
        }

        var now = clock.GetUtcNow();
        var key = WebhookSignature.NewKey();
        var updated = stored.Webhook with { PreviousSecretExpiresAt = gracePeriod > TimeSpan.Zero ? now + gracePeriod : null, UpdatedAt = now };
        await store.SaveAsync(stored with
        {
            Webhook = updated,
            SealedSecret = protector.SealSecret(key, WebhookSecrets.Owner(Workspace, webhookId)),
            SealedPreviousSecret = gracePeriod > TimeSpan.Zero ? stored.SealedSecret : null,
        });
        await Endpoint(webhookId).Reconfigure();
        return new WebhookResult(WebhookStatus.Ok, updated, [], WebhookSignature.SecretOf(key));
    }

    public async Task<bool> Delete(string webhookId)
    {
        if (await store.GetAsync(Workspace, webhookId) is null)
        {
            return false;
        }

        await store.DeleteAsync(Workspace, webhookId);
        await Endpoint(webhookId).Stop();
        await ReadDispatching();
        return true;
    }

    public async Task<IReadOnlyList<WebhookDelivery>?> Deliveries(string webhookId, int limit) =>
        await store.GetAsync(Workspace, webhookId) is null ? null : await Endpoint(webhookId).Deliveries(limit);

    public async Task<WebhookDelivery?> Test(string webhookId) =>
        await store.GetAsync(Workspace, webhookId) is null ? null : await Endpoint(webhookId).Test();

    public async Task<WebhookReplayResult> Replay(string webhookId, WebhookReplay replay)
    {
        if (await store.GetAsync(Workspace, webhookId) is null)
        {
            return new WebhookReplayResult(WebhookStatus.NotFound, 0, []);
        }

        long after;
        if (replay.AfterEventId is { } eventId)
        {
            if (await outbox.PositionOfAsync(Workspace, eventId) is not { } position)
            {
                return new WebhookReplayResult(WebhookStatus.Invalid, 0,
                    [new ValidationError("event_id", "is not an event of this workspace within the outbox's retention")]);
            }

            after = position;
        }
        else
        {
            after = await outbox.PositionBeforeAsync(Workspace, replay.Since!.Value);
        }

        return new WebhookReplayResult(WebhookStatus.Ok, await Endpoint(webhookId).Replay(after), []);
    }

    private async Task<List<ValidationError>> Validate(WebhookSettings settings, bool creating)
    {
        var errors = WebhookRules.Validate(settings, creating);
        if (errors.All(e => e.Field != "url") && settings.Url is { } url
            && await NetworkGuard.RefusalAsync(new Uri(url), options.Value.AllowPrivateNetworks, CancellationToken.None) is { } refusal)
        {
            errors.Add(new ValidationError("url", refusal));
        }

        return errors;
    }

    private async Task ReadDispatching() => _dispatching = [.. (await store.ListAsync(Workspace)).Select(w => w.Webhook).Where(w => w.Enabled)];

    private IWebhookEndpointGrain Endpoint(string webhookId) => GrainFactory.GetGrain<IWebhookEndpointGrain>(WorkspaceKey.Format(Workspace, webhookId));

    private static string NewId() => "wh_" + string.Concat(RandomNumberGenerator.GetBytes(16).Select(b => IdAlphabet[b & 31]));
}
