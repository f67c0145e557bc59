using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Features;

/// <summary>Activity counted into one UTC hour. Hourly resolution keeps 7/30-day windows exact to the hour.</summary>
[GenerateSerializer, Alias("LeadScoring.ActivityBucket")]
public record struct ActivityBucket(
    [property: Id(0)] int Hour,
    [property: Id(1)] ActivityType Type,
    [property: Id(2)] int Count);

/// <summary>
/// The incremental part of a lead's features: everything needed to compute them at any later instant
/// without replaying the activity history. Maintained by <see cref="FeatureEngine"/>.
/// </summary>
[GenerateSerializer, Alias("LeadScoring.ActivityAggregates")]
public sealed class ActivityAggregates
{
    /// <summary>Lifetime count per <see cref="ActivityType"/>, indexed by its value.</summary>
    [Id(0)] public long[] TotalByType { get; set; } = new long[ActivityTypeNames.Count];

    /// <summary>Hourly counts of the last 35 days (the momentum window), ordered by hour.</summary>
    [Id(1)] public List<ActivityBucket> HourlyBuckets { get; set; } = [];

    [Id(2)] public double TimeOnSiteSeconds { get; set; }

    [Id(3)] public int VisitCount { get; set; }

    [Id(4)] public DateTimeOffset? LastPageViewAt { get; set; }

    /// <summary>The decayed engagement sum as of <see cref="EngagementAsOf"/>.</summary>
    [Id(5)] public double Engagement { get; set; }

    [Id(6)] public DateTimeOffset? EngagementAsOf { get; set; }

    [Id(7)] public DateTimeOffset? FirstActivityAt { get; set; }

    [Id(8)] public DateTimeOffset? LastActivityAt { get; set; }

    [Id(9)] public ActivityType? LastActivityType { get; set; }

    public long Total(ActivityType type) => (int)type < TotalByType.Length ? TotalByType[(int)type] : 0;
}
