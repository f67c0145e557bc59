using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Options;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace LeadScoring.Grains.Events;

/// <summary>
/// Memory mode's outbox for one workspace: the same flow as in PostgreSQL, in this grain's memory. Appending
/// numbers the events and publishes them on the workspace's stream before answering, so a write that returned
/// has its events out; they stay for the retention (at most <see cref="MaxKept"/>) and are gone with the cluster.
/// </summary>
public sealed class MemoryEventLogGrain(IOptions<EventOptions> options, TimeProvider clock) : Grain, IMemoryEventLogGrain, IWorkspaceScoped
{
    public string Workspace => this.GetPrimaryKeyString();

    private const int MaxKept = 100_000;

    private readonly List<WorkspaceEvent> _events = [];
    private long _lastPosition;

    public async Task Append(IReadOnlyList<WorkspaceEvent> events)
    {
        var numbered = events.Select(e => e with { Position = ++_lastPosition }).ToList();
        _events.AddRange(numbered);
        await this.GetStreamProvider(EventStreams.Provider).GetStream<EventBatch>(EventStreams.Of(Workspace)).OnNextAsync(new EventBatch(numbered));

        var cutoff = clock.GetUtcNow() - options.Value.Retention;
        var expired = _events.FindIndex(e => e.OccurredAt >= cutoff);
        _events.RemoveRange(0, Math.Max(expired < 0 ? _events.Count : expired, _events.Count - MaxKept));
        EventMeters.Published.Add(events.Count);
    }

    public Task ForgetLead(string leadId)
    {
        _events.RemoveAll(e => e.LeadId == leadId);
        return Task.CompletedTask;
    }

    public Task<EventPage> Read(long afterPosition, int limit)
    {
        var first = _events.FindIndex(e => e.Position > afterPosition);
        var after = first < 0 ? [] : _events.GetRange(first, Math.Min(limit, _events.Count - first));
        return Task.FromResult(new EventPage(after, first < 0 || first + limit >= _events.Count));
    }

    public Task<WorkspaceEvent?> Find(string eventId) => Task.FromResult(_events.Find(e => e.Id == eventId));

    public Task<long> PositionBefore(DateTimeOffset since) =>
        Task.FromResult(_events.Find(e => e.OccurredAt >= since) is { } first ? first.Position - 1 : _lastPosition);
}
