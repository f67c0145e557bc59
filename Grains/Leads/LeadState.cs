using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.PersonalData;
using LeadScoring.Modeling.Features;

namespace LeadScoring.Grains.Leads;

[GenerateSerializer, Alias("LeadScoring.LeadState")]
public sealed class LeadState
{
    [Id(0)] public bool Exists { get; set; }

    // Ids 1, 2, 3, 9, 10 and 16 belonged to formats no deployment stored; they are not reused.

    [Id(4)] public bool ProfilingConsent { get; set; }

    [Id(5)] public bool MarketingConsent { get; set; }

    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    [Id(7)] public DateTimeOffset UpdatedAt { get; set; }

    // The activity fields stay null until the lead's first activity: many leads are imported and never act, and
    // their empty aggregates and lists took memory in every activation (docs/performance.md, "Memory per lead").

    /// <summary>Null before the first activity.</summary>
    [Id(8)] public ActivityAggregates? Aggregates { get; set; }

    [Id(11)] public long ActivityCount { get; set; }

    [Id(12)] public LeadOutcome? Outcome { get; set; }

    /// <summary>E-mail, name, phone and personal attributes, encrypted; null when the lead has none.</summary>
    [Id(13)] public SealedPersonalData? Personal { get; set; }

    [Id(14)] public LeadAttributes Attributes { get; set; } = new();

    /// <summary>
    /// The activity ids accepted and not yet in a stored chunk (fewer than <see cref="LeadLimits.ActivityIdChunk"/>),
    /// as <see cref="ActivityIdHash"/>es, oldest first; null before the first id (see <see cref="RememberedActivityIds"/>).
    /// </summary>
    [Id(15)] public List<long>? SeenActivityIdHashes { get; set; }

    /// <summary>How many chunks of activity ids the lead has stored so far (the next chunk's number); see <see cref="RememberedActivityIds"/>.</summary>
    [Id(17)] public int ActivityIdChunks { get; set; }

    /// <summary>How many activity rows the lead holds, counted by the store when it read the state. Never persisted.</summary>
    [field: NonSerialized]
    public int ActivityRows { get; set; }
}
