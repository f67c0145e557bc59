namespace LeadScoring.Grains.Interfaces;

/// <summary>Creates a lead or merges into an existing one.</summary>
/// <param name="Attributes">Attributes to set; a null value removes that attribute.</param>
/// <param name="Email">Replaces the e-mail when given.</param>
/// <param name="Name">Replaces the name when given.</param>
/// <param name="Consent">Replaces the given consent flags.</param>
/// <param name="Phone">Replaces the phone number when given.</param>
/// <remarks>
/// E-mail, name, phone and the attributes the workspace marks personal are stored encrypted, are never
/// model features, and are shown masked to every role but admin.
/// </remarks>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadUpsert")]
public sealed record LeadUpsert(
    [property: Id(0)] IReadOnlyDictionary<string, LeadAttributeValue?> Attributes,
    [property: Id(1)] string? Email,
    [property: Id(2)] string? Name,
    [property: Id(3)] ConsentUpdate? Consent,
    [property: Id(4)] string? Phone = null);

[GenerateSerializer, Immutable, Alias("LeadScoring.ConsentUpdate")]
public sealed record ConsentUpdate(
    [property: Id(0)] bool? Profiling,
    [property: Id(1)] bool? Marketing);

[GenerateSerializer, Immutable, Alias("LeadScoring.ActivityProperties")]
public sealed record ActivityProperties(
    [property: Id(0)] double? DurationSeconds,
    [property: Id(1)] string? Url,
    [property: Id(2)] string? Channel,
    [property: Id(3)] string? ContentId)
{
    public static readonly ActivityProperties None = new(null, null, null, null);
}

/// <summary>Something a lead did. An <see cref="ActivityId"/> makes retries idempotent.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ActivityRecord")]
public sealed record ActivityRecord(
    [property: Id(0)] string? ActivityId,
    [property: Id(1)] ActivityType Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] ActivityProperties Properties);

/// <summary>One lead's activities within a batch of many leads' activities, in the order they were sent.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadActivities")]
public sealed record LeadActivities(
    [property: Id(0)] string LeadId,
    [property: Id(1)] IReadOnlyList<ActivityRecord> Activities);

[GenerateSerializer, Immutable, Alias("LeadScoring.OutcomeRecord")]
public sealed record OutcomeRecord(
    [property: Id(0)] bool Converted,
    [property: Id(1)] double? DealValue,
    [property: Id(2)] DateTimeOffset? ClosedAt);

/// <summary>How a command ended. Expected failures are results, not exceptions.</summary>
[GenerateSerializer, Alias("LeadScoring.CommandStatus")]
public enum CommandStatus
{
    Ok = 0,
    Created = 1,
    NotFound = 2,
    Invalid = 3,

    /// <summary>In a batch: the lead's silo or the database could not be reached now; nothing of the lead's command is acknowledged.</summary>
    Unavailable = 4,
}

/// <summary>Why an input was refused: the JSON path of the field and the reason.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ValidationError")]
public sealed record ValidationError(
    [property: Id(0)] string Field,
    [property: Id(1)] string Reason);

[GenerateSerializer, Immutable, Alias("LeadScoring.UpsertLeadResult")]
public sealed record UpsertLeadResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] LeadSnapshot? Lead,
    [property: Id(2)] IReadOnlyList<ValidationError> Errors);

[GenerateSerializer, Immutable, Alias("LeadScoring.RecordActivitiesResult")]
public sealed record RecordActivitiesResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] int Accepted,
    [property: Id(2)] int Duplicates,
    [property: Id(3)] IReadOnlyList<ValidationError> Errors);

[GenerateSerializer, Immutable, Alias("LeadScoring.UpdateConsentResult")]
public sealed record UpdateConsentResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] LeadConsent? Consent);

/// <summary>Everything held about a lead (GDPR data portability).</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadExport")]
public sealed record LeadExport(
    [property: Id(0)] LeadSnapshot Lead,
    [property: Id(1)] IReadOnlyList<ScoreHistoryEntry> ScoreHistory,
    [property: Id(2)] DateTimeOffset ExportedAt);

[GenerateSerializer, Immutable, Alias("LeadScoring.RecordOutcomeResult")]
public sealed record RecordOutcomeResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] LeadOutcome? Outcome,
    [property: Id(2)] IReadOnlyList<ValidationError> Errors);
