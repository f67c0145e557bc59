using System.Security.Cryptography;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.PersonalData;
using LeadScoring.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Webhooks;

/// <summary>
/// One endpoint's deliveries. The events come from the outbox, read after the last position queued: a live event
/// on the stream only wakes the grain (and a tick every second does too), so an event the in-memory stream lost
/// with a silo is still read and delivered. Events go out several at a time; a failed one is retried on the
/// schedule (<see cref="WebhookOptions.RetrySchedule"/>) from a stored retry. The endpoint's progress is the
/// position through which every event was delivered or has its retry stored, so an activation after a silo's
/// death starts from there (at least once). A slow or dead endpoint holds only this queue: the dispatcher wakes
/// it and moves on. Reentrant so deliveries overlap; its state is touched only on its own scheduler, one turn at a time.
/// </summary>
[Reentrant]
public sealed partial class WebhookEndpointGrain(
    IWebhookStore store, IEventOutbox outbox, WebhookSender sender, PersonalDataProtector protector, ISystemAudit audit,
    IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookEndpointGrain> logger)
    : Grain, IWebhookEndpointGrain, IWorkspaceScoped, IRemindable
{
    // Brings the grain back after its silo died, with no new event to wake it, so what it owed goes out.
    private const string Reminder = "deliveries";

    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    private readonly WebhookOptions _options = options.Value;
    private readonly Queue<WorkspaceEvent> _queue = new();
    private readonly Queue<WorkspaceEvent> _replays = new();
    private readonly SortedSet<long> _inFlight = [];
    private StoredWebhook? _webhook;
    private Uri? _url;
    private byte[][] _keys = [];
    private OutboxFollower? _follower;
    private long _savedThrough;
    private DateTimeOffset? _failingSince;
    private DateTimeOffset? _savedFailingSince;
    private int _sending;

    public string Workspace => WorkspaceKey.Parse(this.GetPrimaryKeyString()).Workspace;

    private string WebhookId => WorkspaceKey.Parse(this.GetPrimaryKeyString()).Id;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Load();
        if (_webhook is null)
        {
            return;
        }

        _savedThrough = _webhook.DeliveredThrough;
        _follower = new OutboxFollower(outbox, Workspace, _webhook.DeliveredThrough, Take,
            () => _webhook?.Webhook is { Enabled: true } && _queue.Count < OutboxFollower.Page, e => LogReadFailed(e, WebhookId));
        (_failingSince, _savedFailingSince) = (_webhook.FailingSince, _webhook.FailingSince);
        await LoadRetries();
        this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { Interleave = true });
        await this.RegisterOrUpdateReminder(Reminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        Wake();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_webhook is null && await this.GetReminder(Reminder) is { } gone)
        {
            // The webhook was deleted while this grain was not active.
            await this.UnregisterReminder(gone);
            return;
        }

        Wake();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_webhook is not null)
        {
            await SaveProgress();
        }
    }

    Task IWebhookEndpointGrain.Wake()
    {
        Wake();
        return Task.CompletedTask;
    }

    public async Task Reconfigure()
    {
        var wasEnabled = _webhook?.Webhook.Enabled ?? false;
        await Load();
        if (_webhook?.Webhook is { Enabled: true } && !wasEnabled)
        {
            // Nothing is owed for the time it was disabled (a replay can send that): it goes on from now.
            _failingSince = null;
            if (_follower is { } follower)
            {
                follower.Through = Math.Max(follower.Through, await outbox.PositionBeforeAsync(Workspace, clock.GetUtcNow()));
            }

            Wake();
        }
    }

    public async Task<int> Replay(long afterPosition)
    {
        var queued = 0;
        EventPage page;
        var after = afterPosition;
        do
        {
            page = await outbox.ReadAsync(Workspace, after, OutboxFollower.Page);
            foreach (var e in page.Events)
            {
                after = e.Position;
                if (_webhook is { } webhook && WebhookRules.Wants(webhook.Webhook, e))
                {
                    _replays.Enqueue(e);
                    queued++;
                }
            }
        }
        while (!page.Complete);

        Pump();
        return queued;
    }

    public async Task Stop()
    {
        _webhook = null;
        _queue.Clear();
        _replays.Clear();
        _retries.Clear();
        if (await this.GetReminder(Reminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        DeactivateOnIdle();
    }

    private void Wake() => _follower?.Wake();

    private Task Take(IReadOnlyList<WorkspaceEvent> events)
    {
        foreach (var e in events)
        {
            if (_webhook is { } webhook && webhook.Webhook.Enabled && WebhookRules.Wants(webhook.Webhook, e))
            {
                _queue.Enqueue(e);
            }
        }

        Pump();
        return Task.CompletedTask;
    }

    /// <summary>Starts deliveries while there is room: the live queue first, then replays.</summary>
    private void Pump()
    {
        while (_sending < _options.MaxConcurrentDeliveries && _url is not null)
        {
            if (_queue.TryDequeue(out var e))
            {
                _inFlight.Add(e.Position);
                _ = Attempt(e, 1, live: true);
            }
            else if (_replays.TryDequeue(out var replayed))
            {
                _ = Attempt(replayed, 1, live: false);
            }
            else
            {
                return;
            }
        }

        if (_queue.Count < OutboxFollower.Page / 4)
        {
            Wake();
        }
    }

    /// <summary>Through which position every event was delivered or has its retry stored.</summary>
    private long DeliveredThrough()
    {
        var through = _follower?.Through ?? 0;
        if (_queue.TryPeek(out var next))
        {
            through = Math.Min(through, next.Position - 1);
        }

        if (_inFlight.Count > 0)
        {
            through = Math.Min(through, _inFlight.Min - 1);
        }

        return through;
    }

    private async Task Tick(CancellationToken cancellationToken)
    {
        if (_webhook is null)
        {
            return;
        }

        if (_keys.Length > 1 && _webhook.Webhook.PreviousSecretExpiresAt <= clock.GetUtcNow())
        {
            // The rotation's grace period is over: only the new secret signs.
            _keys = [_keys[0]];
        }

        Wake();
        StartDueRetries();
        await FlushAttempts();
        await SaveProgress();
    }

    private async Task SaveProgress()
    {
        var through = DeliveredThrough();
        if (through == _savedThrough && _failingSince == _savedFailingSince)
        {
            return;
        }

        try
        {
            await store.SaveProgressAsync(Workspace, WebhookId, through, _failingSince);
            (_savedThrough, _savedFailingSince) = (through, _failingSince);
        }
        catch (Exception e)
        {
            // Saved on the next tick; meanwhile a restart would only deliver again what is past the saved progress.
            LogSaveFailed(e, WebhookId);
        }
    }

    private async Task Load()
    {
        _webhook = await store.GetAsync(Workspace, WebhookId);
        if (_webhook is null)
        {
            _url = null;
            _keys = [];
            return;
        }

        _url = new Uri(_webhook.Webhook.Url);
        var owner = WebhookSecrets.Owner(Workspace, WebhookId);
        var sealedSecrets = _webhook.SealedPreviousSecret is { } previous && _webhook.Webhook.PreviousSecretExpiresAt > clock.GetUtcNow()
            ? new[] { _webhook.SealedSecret, previous }
            : [_webhook.SealedSecret];
        // A secret sealed under a data key this installation lacks is left out (a lost key, a backup restored
        // beside another); without the current one the endpoint cannot sign and disables itself when it would send.
        _keys = [.. sealedSecrets.Select(secret => OpenSecret(secret, owner)).TakeWhile(key => key is not null).Select(key => key!)];
    }

    private byte[]? OpenSecret(string sealedSecret, string owner)
    {
        try
        {
            return protector.OpenSecret(sealedSecret, owner);
        }
        catch (CryptographicException e)
        {
            LogSecretUnreadable(WebhookId, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A signing secret of webhook {WebhookId} cannot be opened: {Reason}")]
    private partial void LogSecretUnreadable(string webhookId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} could not read the outbox; it will read again")]
    private partial void LogReadFailed(Exception e, string webhookId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery progress of webhook {WebhookId} could not be saved")]
    private partial void LogSaveFailed(Exception e, string webhookId);
}
