using LeadScoring.Grains.Interfaces;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Events;

/// <summary>Reads a workspace's published events back from the outbox, on whichever silo is called.</summary>
[StatelessWorker]
public sealed class EventHistoryGrain(IEventOutbox outbox) : Grain, IEventHistoryGrain, IWorkspaceScoped
{
    public string Workspace => this.GetPrimaryKeyString();

    public Task<EventPage> Read(long afterPosition, int limit) => outbox.ReadAsync(this.GetPrimaryKeyString(), afterPosition, limit);

    public Task<long?> PositionOf(string eventId) => outbox.PositionOfAsync(this.GetPrimaryKeyString(), eventId);

    public Task<long> PositionBefore(DateTimeOffset since) => outbox.PositionBeforeAsync(this.GetPrimaryKeyString(), since);
}
