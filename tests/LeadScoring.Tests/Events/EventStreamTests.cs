using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LeadScoring.Tests.Events;

/// <summary>Server-sent events and the SignalR hub of a real API process: following, resuming with Last-Event-ID, workspaces kept apart.</summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class EventStreamTests(EventsClusterFixture fixture) : IClassFixture<EventsClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task PostActivityAsync(HttpClient api, string activityId) =>
        (await api.PostAsJsonAsync("/api/leads/pushed-0/activities", new
        {
            activities = new[] { new { type = "demo_request", activity_id = activityId, occurred_at = DateTimeOffset.UtcNow } },
        })).EnsureSuccessStatusCode();

    [Fact]
    public async Task Resuming_with_Last_Event_ID_misses_nothing_and_repeats_nothing()
    {
        using var api = fixture.Cluster.CreateApiClient(workspace: "sse-resume");
        using var other = fixture.Cluster.CreateApiClient(workspace: "sse-other");
        var seen = new List<ServerSentEvent>();

        await using (var first = await ServerSentEvents.OpenAsync(api, "/api/events?types=lead.created"))
        {
            await CreateLeadsAsync(api, "early", 30);
            await CreateLeadsAsync(other, "elsewhere", 5);
            seen.AddRange(await first.ReadAsync(10, Patience));
        }

        // Created while no one listens, and while the second connection catches up.
        var late = CreateLeadsAsync(api, "late", 30);
        await using (var second = await ServerSentEvents.OpenAsync(api, "/api/events?types=lead.created", seen[^1].Id))
        {
            await late;
            seen.AddRange(await second.ReadAsync(50, Patience));
        }

        var committed = await fixture.Cluster.Database.StringsAsync(
            "SELECT event_id FROM event_outbox WHERE workspace = 'sse-resume' AND type = 'lead.created' ORDER BY position");
        Assert.Equal(60, committed.Count);
        Assert.Equal(committed, seen.Select(e => e.Id));
        Assert.All(seen, e => Assert.Equal("lead.created", e.Type));
        Assert.All(seen, e => Assert.Contains("\"workspace\":\"sse-resume\"", e.Data, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_Last_Event_ID_or_event_type_is_a_400_naming_it()
    {
        using var api = fixture.Cluster.CreateApiClient(workspace: "sse-bad");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events?types=lead.scored,lead.sneezed");
        request.Headers.Add("Last-Event-ID", "evt_01ZZZZZZZZZZZZZZZZZZZZZZZZ");

        using var response = await api.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("types", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("last_event_id", out _));
    }

    [Fact]
    public async Task A_hub_client_receives_its_lead_s_new_score_and_a_client_of_another_workspace_receives_nothing_of_it()
    {
        using var api = fixture.Cluster.CreateApiClient();
        await ProductCluster.WaitForChampionAsync(api);
        await CreateLeadsAsync(api, "pushed", 1);
        var mine = new System.Collections.Concurrent.ConcurrentQueue<JsonElement>();
        var theirs = new System.Collections.Concurrent.ConcurrentQueue<JsonElement>();
        await using var follower = await HubAsync(WorkspaceKey.DefaultWorkspace, mine);
        await using var stranger = await HubAsync("hub-stranger", theirs);
        await follower.InvokeAsync("FollowLeads", new[] { "pushed-0" });
        await follower.InvokeAsync("FollowWorkspace");
        await stranger.InvokeAsync("FollowLeads", new[] { "pushed-0" });
        await stranger.InvokeAsync("FollowWorkspace");
        await stranger.InvokeAsync("FollowLeads", new[] { "stranger-own-0" });

        static bool Scored(JsonElement e) => e.GetProperty("type").GetString() == "lead.scored";
        await PostActivityAsync(api, "push-1");
        await Eventually.True(() => mine.Any(Scored), "the follower's lead.scored");

        // Witnesses that pushes went on: a second change of the followed lead for the follower, a lead of the
        // stranger's own workspace for the stranger. Once both arrived, a copy of the first would have too.
        await PostActivityAsync(api, "push-2");
        using var strangerApi = fixture.Cluster.CreateApiClient(workspace: "hub-stranger");
        await CreateLeadsAsync(strangerApi, "stranger-own", 1);
        await Eventually.True(() => mine.Count(Scored) >= 2 && theirs.Any(e => e.GetProperty("data").GetProperty("lead_id").GetString() == "stranger-own-0"),
            "the follower's second lead.scored and the stranger's own lead.created");

        var scored = mine.Where(Scored).ToList();
        Assert.Equal(2, scored.Count);
        Assert.Equal(2, scored.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(scored, e => Assert.Equal("pushed-0", e.GetProperty("data").GetProperty("lead_id").GetString()));
        Assert.All(scored, e => Assert.Equal("activity", e.GetProperty("data").GetProperty("trigger").GetString()));
        Assert.All(theirs, e => Assert.Equal("hub-stranger", e.GetProperty("workspace").GetString()));
    }

    [Fact]
    public async Task The_hub_refuses_a_connection_without_a_valid_token()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Cluster.CreateApiClient().BaseAddress!, "/hubs/scores"), o => o.AccessTokenProvider = () => Task.FromResult<string?>("not-a-token"))
            .Build();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private async Task<HubConnection> HubAsync(string workspace, System.Collections.Concurrent.ConcurrentQueue<JsonElement> received)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Cluster.CreateApiClient().BaseAddress!, "/hubs/scores"), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(TestTokens.Create("analyst", workspace));
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        connection.On<JsonElement>("Event", e => received.Enqueue(e));
        await connection.StartAsync();
        return connection;
    }

    private static async Task CreateLeadsAsync(HttpClient api, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            (await api.PostAsJsonAsync("/api/leads", new { lead_id = $"{prefix}-{i}", attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
        }
    }
}

public sealed record ServerSentEvent(string Id, string Type, string Data);

/// <summary>A text/event-stream read line by line, as a browser's EventSource would.</summary>
public sealed class ServerSentEvents : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ServerSentEvents(HttpResponseMessage response, StreamReader reader) => (_response, _reader) = (response, reader);

    public static async Task<ServerSentEvents> OpenAsync(HttpClient api, string url, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new ServerSentEvents(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next <paramref name="count"/> events (fewer if the timeout passes first).</summary>
    public async Task<List<ServerSentEvent>> ReadAsync(int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var events = new List<ServerSentEvent>();
        string? id = null, type = null, data = null;
        try
        {
            while (events.Count < count && await _reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (id is not null && data is not null)
                    {
                        events.Add(new ServerSentEvent(id, type ?? "message", data));
                    }

                    (id, type, data) = (null, null, null);
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line[6..];
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Fewer than asked for: the caller's assertions say what was missing.
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
