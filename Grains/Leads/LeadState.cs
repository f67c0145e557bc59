using LeadScoring.Grains.Features;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.PersonalData;

namespace LeadScoring.Grains.Leads;

[GenerateSerializer, Alias("LeadScoring.LeadState")]
public sealed class LeadState
{
    [Id(0)] public bool Exists { get; set; }

    /// <summary>How attributes were stored before <see cref="Attributes"/>: read when an activation loads such a state, never written.</summary>
    [Id(1)] public Dictionary<string, LeadAttributeValue>? AttributesByName { get; set; }

    // Ids 2 and 3 held e-mail and name in clear before personal data was sealed; they are not reused.

    [Id(4)] public bool ProfilingConsent { get; set; }

    [Id(5)] public bool MarketingConsent { get; set; }

    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    [Id(7)] public DateTimeOffset UpdatedAt { get; set; }

    // The activity fields stay null until the lead's first activity: many leads are imported and never act, and
    // their empty aggregates and lists took about 400 bytes in each of a million activations.

    /// <summary>Null before the first activity.</summary>
    [Id(8)] public ActivityAggregates? Aggregates { get; set; }

    /// <summary>How recent activities were kept before <see cref="RecentActivities"/>: read when an activation loads such a state, never written.</summary>
    [Id(9)] public List<ActivityRecord>? RecentActivityRecords { get; set; }

    /// <summary>How accepted activity ids were kept before <see cref="SeenActivityIdHashes"/>: read when an activation loads such a state, never written.</summary>
    [Id(10)] public List<string>? SeenActivityIds { get; set; }

    [Id(11)] public long ActivityCount { get; set; }

    [Id(12)] public LeadOutcome? Outcome { get; set; }

    /// <summary>E-mail, name, phone and personal attributes, encrypted; null when the lead has none.</summary>
    [Id(13)] public SealedPersonalData? Personal { get; set; }

    [Id(14)] public LeadAttributes Attributes { get; set; } = new();

    /// <summary>
    /// The activity ids already accepted, as <see cref="ActivityIdHash"/>es, oldest first; null before the first id.
    /// With a storage that keeps them in chunks of their own, only those not yet in a chunk (fewer than
    /// <see cref="LeadLimits.ActivityIdChunk"/>); otherwise at most <see cref="LeadLimits.RememberedActivityIds"/>
    /// (see <see cref="RememberedActivityIds"/>).
    /// </summary>
    [Id(15)] public List<long>? SeenActivityIdHashes { get; set; }

    /// <summary>
    /// The most recent activities by occurrence time, newest first, at most <see cref="LeadLimits.RecentActivities"/>;
    /// null before the first. <c>LeadStateStorage</c> keeps them as rows of their own, not in the state's payload
    /// (only states written before those rows existed have them here).
    /// </summary>
    [Id(16)] public List<RecentActivity>? RecentActivities { get; set; }

    /// <summary>How many chunks of activity ids the lead has stored so far (the next chunk's number); see <see cref="RememberedActivityIds"/>.</summary>
    [Id(17)] public int ActivityIdChunks { get; set; }

    /// <summary>
    /// Set by a storage that keeps recent activities as rows of their own: how many rows the lead holds, counted
    /// when its state was read. Null when its activities came in the payload (a state written before the rows
    /// existed) or the storage keeps them in the state. Never persisted.
    /// </summary>
    [field: NonSerialized]
    public int? ActivityRows { get; set; }
}
