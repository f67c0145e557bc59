using System.Diagnostics.Metrics;

namespace LeadScoring.Grains.Events;

/// <summary>The silo's event counters (meter "LeadScoring.Events").</summary>
public static class EventMeters
{
    public const string MeterName = "LeadScoring.Events";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Events the outbox relay put on the streams.</summary>
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("leadscoring.events.published");
}
