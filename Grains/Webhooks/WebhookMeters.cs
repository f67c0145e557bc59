using System.Diagnostics.Metrics;

namespace LeadScoring.Grains.Webhooks;

/// <summary>The silo's webhook counters (meter "LeadScoring.Webhooks").</summary>
public static class WebhookMeters
{
    public const string MeterName = "LeadScoring.Webhooks";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Delivery attempts, tagged outcome=delivered|failed.</summary>
    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>("leadscoring.webhooks.attempts");
}
