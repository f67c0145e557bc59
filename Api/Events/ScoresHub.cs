using System.Text.Json;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace LeadScoring.Api.Events;

/// <summary>What the hub calls on its clients: each event as webhooks and server-sent events carry it.</summary>
public interface IScoresClient
{
    Task Event(JsonElement e);
}

/// <summary>
/// Live scores for browsers at <see cref="Path"/>: a connection follows its workspace's grade changes
/// (<see cref="FollowWorkspace"/>) or every event of chosen leads (<see cref="FollowLeads"/>). The workspace is
/// the token's; groups carry it in their names, so no connection ever joins another workspace's.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class ScoresHub(ScoresHubFeeds feeds) : Hub<IScoresClient>
{
    public const string Path = "/hubs/scores";
    public const int MaxFollowedLeads = 1000;

    public override Task OnConnectedAsync() => feeds.JoinAsync(Workspace);

    public override Task OnDisconnectedAsync(Exception? exception) => feeds.LeaveAsync(Workspace);

    public Task FollowWorkspace() => Groups.AddToGroupAsync(Context.ConnectionId, ScoresHubFeeds.WorkspaceGroup(Workspace));

    public Task UnfollowWorkspace() => Groups.RemoveFromGroupAsync(Context.ConnectionId, ScoresHubFeeds.WorkspaceGroup(Workspace));

    public Task FollowLeads(string[] leadIds) =>
        Task.WhenAll(Checked(leadIds).Select(id => Groups.AddToGroupAsync(Context.ConnectionId, ScoresHubFeeds.LeadGroup(Workspace, id))));

    public Task UnfollowLeads(string[] leadIds) =>
        Task.WhenAll(Checked(leadIds).Select(id => Groups.RemoveFromGroupAsync(Context.ConnectionId, ScoresHubFeeds.LeadGroup(Workspace, id))));

    /// <summary>A WebSocket cannot carry an Authorization header from a browser: on the hub's path the token may come as access_token.</summary>
    public static string? QueryToken(HttpRequest request) =>
        request.Path.StartsWithSegments(Path) && request.Query["access_token"] is [{ Length: > 0 } token] ? token : null;

    private string Workspace => CallerPrincipal.Of(Context.GetHttpContext()!).Workspace;

    private static string[] Checked(string[] leadIds)
    {
        if (leadIds.Length > MaxFollowedLeads)
        {
            throw new HubException($"lead_ids: at most {MaxFollowedLeads} leads per call");
        }

        if (leadIds.FirstOrDefault(id => !LeadKey.IsValidLeadId(id)) is { } invalid)
        {
            throw new HubException($"lead_ids: '{invalid}' {LeadKey.LeadIdRule}");
        }

        return leadIds;
    }
}
