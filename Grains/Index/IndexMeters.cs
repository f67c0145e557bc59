using System.Diagnostics.Metrics;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Index;

/// <summary>The lead index's lag (meter "LeadScoring.Index"): from an event's occurrence to its lead's line written.</summary>
public static class IndexMeters
{
    public const string MeterName = "LeadScoring.Index";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> LagMs = Meter.CreateHistogram<double>("leadscoring.index.lag", "ms");

    public static void Lag(IReadOnlyList<WorkspaceEvent> indexed)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var e in indexed)
        {
            LagMs.Record((now - e.OccurredAt).TotalMilliseconds);
        }
    }
}
