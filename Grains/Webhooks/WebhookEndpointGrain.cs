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
/// One endpoint's deliveries. Live events queue here and go out several at a time; a failed one is retried on the
/// schedule (<see cref="WebhookOptions.RetrySchedule"/>) from a stored retry, so a silo's death loses none. The
/// endpoint's progress is the outbox position through which every event was delivered or has its retry stored;
/// an activation first catches up from there through the outbox, then takes live events, skipping positions it
/// has queued. A slow or dead endpoint holds only this queue: the dispatcher hands over and moves on.
/// Reentrant so deliveries overlap; its state is touched only on its own scheduler, one turn at a time.
/// </summary>
[Reentrant]
public sealed partial class WebhookEndpointGrain(
    IWebhookStore store, IEventOutbox outbox, WebhookSender sender, PersonalDataProtector protector, ISystemAudit audit,
    IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookEndpointGrain> logger)
    : Grain, IWebhookEndpointGrain, IWorkspaceScoped
{
    private const int CatchUpPage = 500;
    private const int HeldAtMost = 10_000;
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    private readonly WebhookOptions _options = options.Value;
    private readonly Queue<WorkspaceEvent> _queue = new();
    private readonly Queue<WorkspaceEvent> _replays = new();
    private readonly SortedSet<long> _inFlight = [];
    private StoredWebhook? _webhook;
    private Uri? _url;
    private byte[][] _keys = [];
    private long _queuedThrough;
    private long _savedThrough;
    private DateTimeOffset? _failingSince;
    private DateTimeOffset? _savedFailingSince;
    private List<WorkspaceEvent>? _heldWhileCatchingUp;
    private bool _heldOverflowed;
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

        (_queuedThrough, _savedThrough) = (_webhook.DeliveredThrough, _webhook.DeliveredThrough);
        (_failingSince, _savedFailingSince) = (_webhook.FailingSince, _webhook.FailingSince);
        await LoadRetries();
        this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { Interleave = true });
        _heldWhileCatchingUp = [];
        _ = CatchUp();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_webhook is not null)
        {
            await SaveProgress();
        }
    }

    public Task Deliver(WorkspaceEvent e)
    {
        if (_webhook?.Webhook is not { Enabled: true })
        {
            // Nothing is owed for the time an endpoint is disabled: its progress moves on (a replay can send it later).
            _queuedThrough = Math.Max(_queuedThrough, e.Position);
            return Task.CompletedTask;
        }

        if (_heldWhileCatchingUp is { } held)
        {
            if (held.Count < HeldAtMost)
            {
                held.Add(e);
            }
            else
            {
                _heldOverflowed = true;
            }
        }
        else
        {
            Enqueue(e);
            Pump();
        }

        return Task.CompletedTask;
    }

    public async Task Reconfigure()
    {
        var wasEnabled = _webhook?.Webhook.Enabled ?? false;
        await Load();
        if (_webhook?.Webhook is { Enabled: true } && !wasEnabled)
        {
            _failingSince = null;
        }
    }

    public async Task<int> Replay(long afterPosition)
    {
        var queued = 0;
        EventPage page;
        var after = afterPosition;
        do
        {
            page = await outbox.ReadAsync(Workspace, after, CatchUpPage);
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

    public Task Stop()
    {
        _webhook = null;
        _queue.Clear();
        _replays.Clear();
        _retries.Clear();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads the outbox from the stored progress until it has read everything, holding live events meanwhile; then
    /// queues the held ones it has not read. Reads a page only when the queue is short, so a long outage does not
    /// fill the memory. If more events were held than it keeps, it reads the outbox again instead.
    /// </summary>
    private async Task CatchUp()
    {
        try
        {
            while (_webhook is not null)
            {
                while (_queue.Count > CatchUpPage)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), clock);
                }

                var page = await outbox.ReadAsync(Workspace, _queuedThrough, CatchUpPage);
                foreach (var e in page.Events)
                {
                    Enqueue(e);
                }

                Pump();
                if (page.Complete)
                {
                    if (_heldOverflowed)
                    {
                        _heldOverflowed = false;
                        _heldWhileCatchingUp = [];
                        continue;
                    }

                    var held = _heldWhileCatchingUp ?? [];
                    _heldWhileCatchingUp = null;
                    foreach (var e in held)
                    {
                        Enqueue(e);
                    }

                    Pump();
                    return;
                }
            }
        }
        catch (Exception e)
        {
            // The outbox could not be read: start again from the stored progress.
            LogCatchUpFailed(e, WebhookId);
            DeactivateOnIdle();
        }
    }

    /// <summary>Queues a live or caught-up event the endpoint wants, unless its position was queued already.</summary>
    private void Enqueue(WorkspaceEvent e)
    {
        if (e.Position <= _queuedThrough)
        {
            return;
        }

        _queuedThrough = e.Position;
        if (_webhook is { } webhook && webhook.Webhook.Enabled && WebhookRules.Wants(webhook.Webhook, e))
        {
            _queue.Enqueue(e);
        }
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
    }

    /// <summary>Through which position every event was delivered or has its retry stored.</summary>
    private long DeliveredThrough()
    {
        var through = _queuedThrough;
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
        _keys = _webhook.SealedPreviousSecret is { } previous && _webhook.Webhook.PreviousSecretExpiresAt > clock.GetUtcNow()
            ? [protector.OpenSecret(_webhook.SealedSecret, owner), protector.OpenSecret(previous, owner)]
            : [protector.OpenSecret(_webhook.SealedSecret, owner)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} could not catch up from the outbox; it will start again")]
    private partial void LogCatchUpFailed(Exception e, string webhookId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery progress of webhook {WebhookId} could not be saved")]
    private partial void LogSaveFailed(Exception e, string webhookId);
}
