using System.Diagnostics.Metrics;

namespace LeadScoring.Grains.Scoring;

/// <summary>The silo's scoring counters (meter "LeadScoring.Scoring"), for dashboards and exporters.</summary>
public static class ScoringMeters
{
    public const string MeterName = "LeadScoring.Scoring";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Score requests a lead answered with the score it already had.</summary>
    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("leadscoring.score.cache_hits");

    /// <summary>Scores computed: after a change, a new champion, a new hour, or a new activation.</summary>
    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("leadscoring.score.cache_misses");
}
