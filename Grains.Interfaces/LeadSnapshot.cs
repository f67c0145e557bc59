namespace LeadScoring.Grains.Interfaces;

[GenerateSerializer, Immutable, Alias("LeadScoring.LeadConsent")]
public sealed record LeadConsent(
    [property: Id(0)] bool Profiling,
    [property: Id(1)] bool Marketing);

/// <summary>The recorded result of a lead, with the features it had when the outcome was recorded.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadOutcome")]
public sealed record LeadOutcome(
    [property: Id(0)] bool Converted,
    [property: Id(1)] double? DealValue,
    [property: Id(2)] DateTimeOffset? ClosedAt,
    [property: Id(3)] DateTimeOffset RecordedAt,
    [property: Id(4)] IReadOnlyList<FeatureValue> FeaturesAtOutcome);

/// <summary>
/// Everything a lead grain holds, as of the moment it was read (time-based features included). Email, name,
/// phone and <see cref="PersonalAttributes"/> are personal data: callers must mask them for anyone but admins.
/// <see cref="PersonalDataUnreadable"/> says why they are missing when no key of the installation opens them.
/// </summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadSnapshot")]
public sealed record LeadSnapshot(
    [property: Id(0)] string Workspace,
    [property: Id(1)] string LeadId,
    [property: Id(2)] IReadOnlyDictionary<string, LeadAttributeValue> Attributes,
    [property: Id(3)] string? Email,
    [property: Id(4)] string? Name,
    [property: Id(5)] LeadConsent Consent,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] long ActivityCount,
    [property: Id(9)] IReadOnlyList<FeatureValue> Aggregates,
    [property: Id(10)] IReadOnlyList<ActivityRecord> RecentActivities,
    [property: Id(11)] LeadOutcome? Outcome,
    [property: Id(12)] string? Phone,
    [property: Id(13)] IReadOnlyDictionary<string, string> PersonalAttributes,
    [property: Id(14)] string? PersonalDataUnreadable = null);
