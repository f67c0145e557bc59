using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace LeadScoring.Grains.Index;

/// <summary>
/// Keeps a workspace's lead index. It follows the workspace's events from the outbox (woken by the stream, a
/// timer and a reminder, like a webhook endpoint), and for each lead an event names it asks the lead for its line
/// (<see cref="ILeadGrain.GetIndexEntry"/>): the lead is the source, the event only says it changed, so the index
/// converges on what the leads hold whatever the order of events. Lines and progress are written together, so a
/// restart takes the events again from the last position written.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
[Reentrant]
public sealed partial class LeadIndexGrain(
    ILeadIndexStore store, IEventOutbox outbox, IOptions<LeadIndexOptions> options, TimeProvider clock, ILogger<LeadIndexGrain> logger)
    : Grain, ILeadIndexGrain, IWorkspaceScoped, IStreamSubscriptionObserver, IAsyncObserver<EventBatch>, IRemindable
{
    private const string Reminder = "index";
    private const int RebuildPage = 500;
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ForgetPeriod = TimeSpan.FromMinutes(1);

    // One write at a time (events and a rebuild), so the position of the last committed write is known.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private OutboxFollower? _follower;
    private LeadIndexRebuild? _rebuild;
    private DateTimeOffset _forgetDue;

    // Until when replaced lines are kept: while a list may be paged (stored, so a new activation knows).
    private DateTimeOffset _keepReplacedUntil;

    public string Workspace => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (indexedThrough, pagingUntil) = await store.ProgressAsync(Workspace);
        _keepReplacedUntil = pagingUntil ?? DateTimeOffset.MinValue;
        _follower = new OutboxFollower(outbox, Workspace, indexedThrough, Take, () => true, e => LogReadFailed(e, Workspace));
        this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { Interleave = true });
        await this.RegisterOrUpdateReminder(Reminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        _follower.Wake();
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<EventBatch>().ResumeAsync(this);

    public Task OnNextAsync(EventBatch item, StreamSequenceToken? token = null)
    {
        if (item.Events.Any(e => e.LeadId is not null))
        {
            _follower?.Wake();
        }

        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _follower?.Wake();
        return Task.CompletedTask;
    }

    public Task<LeadIndexRebuild> StartRebuild()
    {
        if (_rebuild is { State: "running" } running)
        {
            return Task.FromResult(running);
        }

        _rebuild = new LeadIndexRebuild("running", 0, clock.GetUtcNow(), null, null);
        _ = Rebuild();
        return Task.FromResult(_rebuild);
    }

    public Task<LeadIndexRebuild?> GetRebuild() => Task.FromResult(_rebuild);

    public async Task<long> StartPaging()
    {
        var until = clock.GetUtcNow() + options.Value.CursorLifetime;
        await store.SetPagingUntilAsync(Workspace, until);
        _keepReplacedUntil = until > _keepReplacedUntil ? until : _keepReplacedUntil;
        // The write under way (if any) started without keeping lines: it commits first, below the position answered.
        await _writing.WaitAsync();
        try
        {
            return await store.PositionAsync();
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>The lines of the leads the events name, written with the position through which they were read.</summary>
    private async Task Take(IReadOnlyList<WorkspaceEvent> events)
    {
        var leads = events.Where(e => e.LeadId is not null).Select(e => e.LeadId!).Distinct(StringComparer.Ordinal).ToList();
        var through = events.Count > 0 ? events[^1].Position : (long?)null;
        await Index(leads, through);
        IndexMeters.Lag(events);
    }

    private async Task Index(IReadOnlyList<string> leads, long? through)
    {
        var entries = await Task.WhenAll(leads.Select(id => GrainFactory.GetGrain<ILeadGrain>(WorkspaceKey.Format(Workspace, id)).GetIndexEntry()));
        var indexed = options.Value.AttributesOf(Workspace);
        var lines = entries.OfType<LeadIndexEntry>()
            .Select(e => e with { Attributes = e.Attributes.Where(a => indexed.Contains(a.Key, StringComparer.Ordinal)).ToDictionary(StringComparer.Ordinal) })
            .ToList();
        var gone = leads.Where((_, i) => entries[i] is null).ToList();
        if (lines.Count > 0 || gone.Count > 0 || through is not null)
        {
            await _writing.WaitAsync();
            try
            {
                await store.ApplyAsync(Workspace, lines, gone, through, keepReplaced: clock.GetUtcNow() < _keepReplacedUntil);
            }
            finally
            {
                _writing.Release();
            }
        }
    }

    private async Task Rebuild()
    {
        try
        {
            string? after = null;
            long count = 0;
            while (await store.StoredLeadIdsAsync(Workspace, after, RebuildPage) is { Count: > 0 } page)
            {
                await Index(page, null);
                count += page.Count;
                after = page[^1];
                _rebuild = _rebuild! with { Leads = count };
            }

            _rebuild = _rebuild! with { State = "succeeded", EndedAt = clock.GetUtcNow() };
        }
        catch (Exception e)
        {
            LogRebuildFailed(e, Workspace);
            _rebuild = _rebuild! with { State = "failed", EndedAt = clock.GetUtcNow(), Error = e.Message };
        }
    }

    private async Task Tick(CancellationToken cancellationToken)
    {
        _follower?.Wake();
        if (clock.GetUtcNow() >= _forgetDue)
        {
            _forgetDue = clock.GetUtcNow() + ForgetPeriod;
            await store.ForgetReplacedAsync(Workspace, clock.GetUtcNow() - options.Value.CursorLifetime);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lead index of workspace {Workspace} could not take its events; it will try again")]
    private partial void LogReadFailed(Exception e, string workspace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding the lead index of workspace {Workspace} failed")]
    private partial void LogRebuildFailed(Exception e, string workspace);
}
