using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using LeadScoring.Grains.Interfaces;
using Orleans.Streams;

namespace LeadScoring.Web.Live;

/// <summary>
/// The workspaces' events as this API instance receives them from the cluster: one stream subscription per
/// workspace that has a listener here (a server-sent events client, the SignalR hub), shared by its listeners and
/// dropped with the last. Every instance behind a balancer subscribes for its own connections, so none needs a
/// backplane.
/// </summary>
public sealed partial class WorkspaceEventFeed(IClusterClient cluster, ILogger<WorkspaceEventFeed> logger)
{
    private readonly Dictionary<string, FollowedWorkspace> _workspaces = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Starts receiving the workspace's events; the returned listener holds every event published from now on
    /// (up to <paramref name="capacity"/> unread, after which it is closed as <see cref="EventListener.Overflowed"/>).
    /// </summary>
    public async Task<EventListener> ListenAsync(string workspace, int capacity)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_workspaces.TryGetValue(workspace, out var followed))
            {
                followed = new FollowedWorkspace();
                var stream = cluster.GetStreamProvider(EventStreams.Provider).GetStream<EventBatch>(EventStreams.Of(workspace));
                followed.Subscription = await stream.SubscribeAsync((batch, _) =>
                {
                    foreach (var e in batch.Events)
                    {
                        followed.Deliver(e);
                    }

                    return Task.CompletedTask;
                });
                _workspaces[workspace] = followed;
            }

            var listener = new EventListener(this, workspace, capacity);
            followed.Add(listener);
            return listener;
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task LeaveAsync(EventListener listener)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_workspaces.TryGetValue(listener.Workspace, out var followed) || !followed.Remove(listener))
            {
                return;
            }

            _workspaces.Remove(listener.Workspace);
            try
            {
                await followed.Subscription!.UnsubscribeAsync();
            }
            catch (Exception e)
            {
                // The cluster forgets a gone client's subscriptions by itself; nothing is lost here.
                LogUnsubscribeFailed(e, listener.Workspace);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsubscribing from the events of workspace {Workspace} failed")]
    private partial void LogUnsubscribeFailed(Exception e, string workspace);

    private sealed class FollowedWorkspace
    {
        private volatile EventListener[] _listeners = [];

        public StreamSubscriptionHandle<EventBatch>? Subscription { get; set; }

        public void Add(EventListener listener) => _listeners = [.. _listeners, listener];

        /// <summary>Removes the listener; true when it was the last.</summary>
        public bool Remove(EventListener listener)
        {
            _listeners = [.. _listeners.Where(l => l != listener)];
            return _listeners.Length == 0;
        }

        public void Deliver(WorkspaceEvent e)
        {
            foreach (var listener in _listeners)
            {
                listener.Offer(e);
            }
        }
    }
}

/// <summary>One reader of a workspace's events on this instance; dispose it to stop.</summary>
public sealed class EventListener : IAsyncDisposable
{
    private readonly WorkspaceEventFeed _feed;
    private readonly Channel<WorkspaceEvent> _events;

    internal EventListener(WorkspaceEventFeed feed, string workspace, int capacity)
    {
        _feed = feed;
        Workspace = workspace;
        _events = Channel.CreateBounded<WorkspaceEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public string Workspace { get; }

    public ChannelReader<WorkspaceEvent> Events => _events.Reader;

    /// <summary>True once the reader fell <c>capacity</c> events behind: the listener was closed and the reader must resume from the outbox.</summary>
    public bool Overflowed { get; private set; }

    internal void Offer(WorkspaceEvent e)
    {
        if (!_events.Writer.TryWrite(e) && !Overflowed)
        {
            Overflowed = true;
            _events.Writer.TryComplete();
        }
    }

    public ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        return new ValueTask(_feed.LeaveAsync(this));
    }
}
