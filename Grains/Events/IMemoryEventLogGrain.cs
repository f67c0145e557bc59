using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Events;

/// <summary>Memory mode's outbox and relay for one workspace (keyed by it): see <see cref="MemoryEventLogGrain"/>.</summary>
[Alias("LeadScoring.IMemoryEventLogGrain")]
public interface IMemoryEventLogGrain : IGrainWithStringKey
{
    [Alias("Append")]
    Task Append(IReadOnlyList<WorkspaceEvent> events);

    [Alias("ForgetLead")]
    Task ForgetLead(string leadId);

    [Alias("Read")]
    Task<EventPage> Read(long afterPosition, int limit);

    [Alias("Find")]
    Task<WorkspaceEvent?> Find(string eventId);

    [Alias("PositionBefore")]
    Task<long> PositionBefore(DateTimeOffset since);
}
