namespace LeadScoring.Grains.Options;

/// <summary>Events and their outbox (configuration section "LeadScoring:Events").</summary>
public sealed class EventOptions
{
    public const string SectionName = "LeadScoring:Events";

    /// <summary>How long published events stay in the outbox for resuming readers and webhook replays.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long the silo that publishes the outbox holds that role without renewing it.</summary>
    public TimeSpan RelayLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the relay waits before looking again when it found the outbox empty.</summary>
    public TimeSpan RelayIdlePoll { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Events the relay publishes in one transaction.</summary>
    public int RelayBatch { get; set; } = 500;
}
