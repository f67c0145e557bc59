using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Features;

/// <summary>
/// Maintains a lead's <see cref="ActivityAggregates"/> one activity at a time and computes its features
/// against a given clock. Time-based features are derived when read, so a quiet lead's features age
/// without anything running for it.
/// </summary>
public static class FeatureEngine
{
    public const int HoursIn7Days = 7 * 24;
    public const int HoursIn30Days = 30 * 24;

    /// <summary>Momentum compares the last 7 days with the 28 before them, so 35 days of buckets are kept.</summary>
    public const int RetainedHours = 35 * 24;

    public static int HourOf(DateTimeOffset instant) => (int)Math.Floor(instant.ToUnixTimeSeconds() / 3600.0);

    /// <summary>Folds one activity into the aggregates. <paramref name="now"/> only decides what is old enough to prune.</summary>
    public static void Apply(ActivityAggregates aggregates, ActivityRecord activity, FeatureOptions options, DateTimeOffset now)
    {
        var type = activity.Type;
        var at = activity.OccurredAt;
        if (aggregates.TotalByType.Length < ActivityTypeNames.Count)
        {
            // State written before a type was added to the catalog.
            var grown = aggregates.TotalByType;
            Array.Resize(ref grown, ActivityTypeNames.Count);
            aggregates.TotalByType = grown;
        }

        aggregates.TotalByType[(int)type]++;
        AddToBucket(aggregates.HourlyBuckets, HourOf(at), type, HourOf(now));

        if (type == ActivityType.PageView)
        {
            aggregates.TimeOnSiteSeconds += activity.Properties.DurationSeconds ?? 0;
            if (aggregates.LastPageViewAt is not { } lastView || at - lastView > options.VisitGap)
            {
                aggregates.VisitCount++;
            }

            if (aggregates.LastPageViewAt is null || at > aggregates.LastPageViewAt)
            {
                aggregates.LastPageViewAt = at;
            }
        }

        AddEngagement(aggregates, FeatureCatalog.EngagementWeight(type), at, options.EngagementHalfLife);

        if (aggregates.FirstActivityAt is null || at < aggregates.FirstActivityAt)
        {
            aggregates.FirstActivityAt = at;
        }

        if (aggregates.LastActivityAt is null || at >= aggregates.LastActivityAt)
        {
            aggregates.LastActivityAt = at;
            aggregates.LastActivityType = type;
        }
    }

    /// <summary>All features of <see cref="FeatureCatalog.All"/>, in that order, as of <paramref name="now"/>.</summary>
    public static IReadOnlyList<FeatureValue> Compute(ActivityAggregates aggregates, DateTimeOffset createdAt, DateTimeOffset now, FeatureOptions options)
    {
        var nowHour = HourOf(now);
        var count7d = new long[ActivityTypeNames.Count];
        var count30d = new long[ActivityTypeNames.Count];
        long prior28d = 0;
        foreach (var bucket in aggregates.HourlyBuckets)
        {
            var age = nowHour - bucket.Hour;
            if (age < HoursIn7Days)
            {
                count7d[(int)bucket.Type] += bucket.Count;
            }
            else if (age < RetainedHours)
            {
                prior28d += bucket.Count;
            }

            if (age < HoursIn30Days)
            {
                count30d[(int)bucket.Type] += bucket.Count;
            }
        }

        var features = new List<FeatureValue>(FeatureCatalog.All.Count);
        foreach (var type in Enum.GetValues<ActivityType>())
        {
            var dimension = FeatureCatalog.DimensionOf(type);
            features.Add(Count(features.Count, FeatureCatalog.CountTotal(type), dimension, aggregates.Total(type)));
            features.Add(Count(features.Count, FeatureCatalog.Count7d(type), dimension, count7d[(int)type]));
            features.Add(Count(features.Count, FeatureCatalog.Count30d(type), dimension, count30d[(int)type]));
        }

        var all7d = count7d.Sum();
        var pageViews = aggregates.Total(ActivityType.PageView);
        var opens = aggregates.Total(ActivityType.EmailOpen);
        var responses = aggregates.Total(ActivityType.EmailClick) + aggregates.Total(ActivityType.EmailReply);
        var daysSinceCreated = Math.Max(0, (now - createdAt).TotalDays);

        features.Add(Numeric(FeatureCatalog.ActivityCountTotal, FeatureDimension.Behavioral, aggregates.TotalByType.Sum()));
        features.Add(Numeric(FeatureCatalog.ActivityCount7d, FeatureDimension.Behavioral, all7d));
        features.Add(Numeric(FeatureCatalog.ActivityCount30d, FeatureDimension.Behavioral, count30d.Sum()));
        features.Add(Numeric(FeatureCatalog.TimeOnSiteSeconds, FeatureDimension.Behavioral, aggregates.TimeOnSiteSeconds));
        features.Add(Numeric(FeatureCatalog.VisitCount, FeatureDimension.Behavioral, aggregates.VisitCount));
        features.Add(Numeric(FeatureCatalog.PagesPerVisit, FeatureDimension.Behavioral,
            aggregates.VisitCount == 0 ? 0 : (double)pageViews / aggregates.VisitCount));
        features.Add(new FeatureValue(FeatureCatalog.LastActivityType, FeatureDimension.Behavioral, null,
            aggregates.LastActivityType?.ToWireName()));
        // Clicks and replies per open; mail clients that block tracking pixels can make responses outnumber opens.
        features.Add(Numeric(FeatureCatalog.EmailResponseRate, FeatureDimension.Engagement,
            Math.Min(1.0, (double)responses / Math.Max(1, opens))));
        features.Add(Numeric(FeatureCatalog.EngagementDecayed, FeatureDimension.Engagement,
            DecayedEngagement(aggregates, now, options.EngagementHalfLife)));
        features.Add(Numeric(FeatureCatalog.DaysSinceCreated, FeatureDimension.Temporal, daysSinceCreated));
        features.Add(Numeric(FeatureCatalog.DaysSinceLastActivity, FeatureDimension.Temporal,
            aggregates.LastActivityAt is { } last ? Math.Max(0, (now - last).TotalDays) : daysSinceCreated));
        // 1 = the last week ran at the weekly rate of the 4 weeks before it; +1 smooths leads with little history.
        features.Add(Numeric(FeatureCatalog.ActivityMomentum, FeatureDimension.Temporal, (all7d + 1.0) / (prior28d / 4.0 + 1.0)));
        return features;
    }

    /// <summary>The engagement sum decayed to <paramref name="now"/> (never grown: future-dated events count as of their time).</summary>
    public static double DecayedEngagement(ActivityAggregates aggregates, DateTimeOffset now, TimeSpan halfLife) =>
        aggregates.EngagementAsOf is { } asOf && now > asOf
            ? aggregates.Engagement * DecayFactor(now - asOf, halfLife)
            : aggregates.Engagement;

    private static double DecayFactor(TimeSpan age, TimeSpan halfLife) => Math.Pow(0.5, age / halfLife);

    private static void AddEngagement(ActivityAggregates aggregates, double weight, DateTimeOffset at, TimeSpan halfLife)
    {
        if (aggregates.EngagementAsOf is not { } asOf)
        {
            aggregates.Engagement = weight;
            aggregates.EngagementAsOf = at;
        }
        else if (at >= asOf)
        {
            aggregates.Engagement = aggregates.Engagement * DecayFactor(at - asOf, halfLife) + weight;
            aggregates.EngagementAsOf = at;
        }
        else
        {
            aggregates.Engagement += weight * DecayFactor(asOf - at, halfLife);
        }
    }

    private static void AddToBucket(List<ActivityBucket> buckets, int hour, ActivityType type, int nowHour)
    {
        var oldestKept = nowHour - RetainedHours + 1;
        buckets.RemoveAll(b => b.Hour < oldestKept);
        if (hour < oldestKept)
        {
            return;
        }

        for (var i = buckets.Count - 1; i >= 0 && buckets[i].Hour >= hour; i--)
        {
            if (buckets[i].Hour == hour && buckets[i].Type == type)
            {
                buckets[i] = buckets[i] with { Count = buckets[i].Count + 1 };
                return;
            }
        }

        var at = buckets.FindLastIndex(b => b.Hour <= hour) + 1;
        buckets.Insert(at, new ActivityBucket(hour, type, 1));
    }

    private static FeatureValue Numeric(string name, FeatureDimension dimension, double value) => new(name, dimension, value, null);

    /// <summary>
    /// A per-type count: most are small (most are zero), so those are shared instances, one per feature position
    /// and count (a feature value is immutable), rather than a new object per feature on every rescore.
    /// </summary>
    private static FeatureValue Count(int position, string name, FeatureDimension dimension, long count)
    {
        if (count is < 0 or >= SharedCounts)
        {
            return Numeric(name, dimension, count);
        }

        var shared = SharedCountValues[position] ??= new FeatureValue?[SharedCounts];
        return shared[count] is { } value && ReferenceEquals(value.Name, name)
            ? value
            : shared[count] = Numeric(name, dimension, count);
    }

    private const int SharedCounts = 16;

    // Per position among the per-type counts; filled as counts are seen (a race only makes an extra instance).
    private static readonly FeatureValue?[]?[] SharedCountValues = new FeatureValue?[]?[3 * Enum.GetValues<ActivityType>().Length];
}
