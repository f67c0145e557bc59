using LeadScoring.Grains.Features;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.PersonalData;

namespace LeadScoring.Grains.Leads;

[GenerateSerializer, Alias("LeadScoring.LeadState")]
public sealed class LeadState
{
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public Dictionary<string, LeadAttributeValue> Attributes { get; set; } = new(StringComparer.Ordinal);

    // Ids 2 and 3 held e-mail and name in clear before personal data was sealed; they are not reused.

    [Id(4)] public bool ProfilingConsent { get; set; }

    [Id(5)] public bool MarketingConsent { get; set; }

    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    [Id(7)] public DateTimeOffset UpdatedAt { get; set; }

    [Id(8)] public ActivityAggregates Aggregates { get; set; } = new();

    /// <summary>The most recent activities by occurrence time, newest first, at most <see cref="LeadLimits.RecentActivities"/>.</summary>
    [Id(9)] public List<ActivityRecord> RecentActivities { get; set; } = [];

    /// <summary>Activity ids already accepted, oldest first, at most <see cref="LeadLimits.RememberedActivityIds"/>.</summary>
    [Id(10)] public List<string> SeenActivityIds { get; set; } = [];

    [Id(11)] public long ActivityCount { get; set; }

    [Id(12)] public LeadOutcome? Outcome { get; set; }

    /// <summary>E-mail, name, phone and personal attributes, encrypted; null when the lead has none.</summary>
    [Id(13)] public SealedPersonalData? Personal { get; set; }
}
