using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Events;

/// <summary>
/// Where events wait to be published and stay for replay. A lead's events are written by its store with the
/// change that caused them (<see cref="Leads.LeadWriteExtras.Events"/>); the rest come through
/// <see cref="AppendAsync"/>. One implementation per storage mode.
/// </summary>
public interface IEventOutbox
{
    /// <summary>Stores events that belong to no lead's write; returns once they are durable.</summary>
    Task AppendAsync(IReadOnlyList<WorkspaceEvent> events);

    /// <summary>Deletes the lead's events (erasure; PostgreSQL mode does it in the erasure's own transaction).</summary>
    Task ForgetLeadAsync(string workspace, string leadId);

    /// <summary>The workspace's published events after <paramref name="afterPosition"/>, oldest first.</summary>
    Task<EventPage> ReadAsync(string workspace, long afterPosition, int limit);

    /// <summary>The workspace's published event with this id; null when unknown or past the retention.</summary>
    Task<WorkspaceEvent?> FindAsync(string workspace, string eventId);

    /// <summary>The position of the workspace's published event with this id; null when unknown.</summary>
    Task<long?> PositionOfAsync(string workspace, string eventId);

    /// <summary>The position just before the workspace's first event published at or after <paramref name="since"/>.</summary>
    Task<long> PositionBeforeAsync(string workspace, DateTimeOffset since);
}
