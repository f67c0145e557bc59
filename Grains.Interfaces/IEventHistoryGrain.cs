namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// A workspace's published events, read back from the outbox within its retention (resume after a lost
/// connection, webhook replay). Keyed by the workspace; stateless.
/// </summary>
[Alias("LeadScoring.IEventHistoryGrain")]
public interface IEventHistoryGrain : IGrainWithStringKey
{
    /// <summary>The events published after <paramref name="afterPosition"/>, oldest first, at most <paramref name="limit"/>.</summary>
    [Alias("Read")]
    Task<EventPage> Read(long afterPosition, int limit);

    /// <summary>The position of the workspace's published event with this id; null when unknown or past retention.</summary>
    [Alias("PositionOf")]
    Task<long?> PositionOf(string eventId);

    /// <summary>The position just before the first event published at or after <paramref name="since"/>.</summary>
    [Alias("PositionBefore")]
    Task<long> PositionBefore(DateTimeOffset since);
}
