using LeadScoring.Web.Live;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.SignalR;

namespace LeadScoring.Api.Events;

/// <summary>
/// The workspaces this instance's hub connections belong to, each followed on the cluster's stream while it has a
/// connection here, its events pushed to the groups that follow them: grade changes to the workspace's group,
/// every lead event to the lead's group. Live only: a connection that was away reads what it missed from the
/// REST API or resumes server-sent events.
/// </summary>
public sealed partial class ScoresHubFeeds(WorkspaceEventFeed feed, IHubContext<ScoresHub, IScoresClient> hub, ILogger<ScoresHubFeeds> logger)
{
    private const int Capacity = 10_000;

    private readonly Dictionary<string, Followed> _workspaces = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public static string WorkspaceGroup(string workspace) => $"workspace:{workspace}";

    public static string LeadGroup(string workspace, string leadId) => $"lead:{workspace}/{leadId}";

    public async Task JoinAsync(string workspace)
    {
        await _gate.WaitAsync();
        try
        {
            if (_workspaces.TryGetValue(workspace, out var followed))
            {
                followed.Connections++;
                return;
            }

            var listener = await feed.ListenAsync(workspace, Capacity);
            _workspaces[workspace] = new Followed(listener, Push(listener));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task LeaveAsync(string workspace)
    {
        Followed? last = null;
        await _gate.WaitAsync();
        try
        {
            if (_workspaces.TryGetValue(workspace, out var followed) && --followed.Connections == 0)
            {
                _workspaces.Remove(workspace);
                last = followed;
            }
        }
        finally
        {
            _gate.Release();
        }

        if (last is not null)
        {
            await last.Listener.DisposeAsync();
            await last.Pushing;
        }
    }

    private async Task Push(EventListener listener)
    {
        await foreach (var e in listener.Events.ReadAllAsync())
        {
            try
            {
                var json = JsonDocument.Parse(e.ToJson()).RootElement;
                if (e.LeadId is { } leadId)
                {
                    await hub.Clients.Group(LeadGroup(e.Workspace, leadId)).Event(json);
                }

                if (e.Type == EventTypes.LeadGradeChanged)
                {
                    await hub.Clients.Group(WorkspaceGroup(e.Workspace)).Event(json);
                }
            }
            catch (Exception failure)
            {
                LogPushFailed(failure, e.Id);
            }
        }

        if (listener.Overflowed)
        {
            LogOverflowed(listener.Workspace);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not be pushed to the hub's connections")]
    private partial void LogPushFailed(Exception e, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hub fell behind the events of workspace {Workspace}; its connections miss what it dropped")]
    private partial void LogOverflowed(string workspace);

    private sealed class Followed(EventListener listener, Task pushing)
    {
        public EventListener Listener { get; } = listener;

        public Task Pushing { get; } = pushing;

        public int Connections { get; set; } = 1;
    }
}
