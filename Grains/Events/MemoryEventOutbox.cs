using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Events;

/// <summary>Memory mode's outbox: each workspace's <see cref="IMemoryEventLogGrain"/>.</summary>
public sealed class MemoryEventOutbox(IGrainFactory grains) : IEventOutbox
{
    public Task AppendAsync(IReadOnlyList<WorkspaceEvent> events) =>
        Task.WhenAll(events.GroupBy(e => e.Workspace, StringComparer.Ordinal)
            .Select(workspace => grains.GetGrain<IMemoryEventLogGrain>(workspace.Key).Append([.. workspace])));

    public Task ForgetLeadAsync(string workspace, string leadId) => grains.GetGrain<IMemoryEventLogGrain>(workspace).ForgetLead(leadId);

    public Task<EventPage> ReadAsync(string workspace, long afterPosition, int limit) =>
        grains.GetGrain<IMemoryEventLogGrain>(workspace).Read(afterPosition, limit);

    public Task<WorkspaceEvent?> FindAsync(string workspace, string eventId) => grains.GetGrain<IMemoryEventLogGrain>(workspace).Find(eventId);

    public async Task<long?> PositionOfAsync(string workspace, string eventId) => (await FindAsync(workspace, eventId))?.Position;

    public Task<long> PositionBeforeAsync(string workspace, DateTimeOffset since) => grains.GetGrain<IMemoryEventLogGrain>(workspace).PositionBefore(since);
}
