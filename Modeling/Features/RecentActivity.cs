using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Features;

/// <summary>
/// One of a lead's recent activities as its state keeps it: a value in the lead's list instead of an
/// <see cref="ActivityRecord"/> and its <see cref="ActivityProperties"/> (two objects). A lead keeps up to
/// <c>LeadLimits.RecentActivities</c> of them, so this saves a million leads two objects per activity in memory,
/// and saves each state write the reference tracking of Orleans' serializer, which tracks every object it
/// writes (past 64 objects in a dictionary made anew for each write) and never tracks a value.
/// </summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.RecentActivity")]
public readonly record struct RecentActivity(
    [property: Id(0)] string? ActivityId,
    [property: Id(1)] ActivityType Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] double? DurationSeconds,
    [property: Id(4)] string? Url,
    [property: Id(5)] string? Channel,
    [property: Id(6)] string? ContentId)
{
    public static RecentActivity Of(ActivityRecord activity)
    {
        var properties = activity.Properties;
        return new(activity.ActivityId, activity.Type, activity.OccurredAt, properties.DurationSeconds, properties.Url, properties.Channel, properties.ContentId);
    }

    public ActivityRecord ToRecord() => new(
        ActivityId,
        Type,
        OccurredAt,
        DurationSeconds is null && Url is null && Channel is null && ContentId is null
            ? ActivityProperties.None
            : new ActivityProperties(DurationSeconds, Url, Channel, ContentId));
}
