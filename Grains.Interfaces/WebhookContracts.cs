namespace LeadScoring.Grains.Interfaces;

/// <summary>Which events of the subscribed types an endpoint receives.</summary>
/// <param name="Grades">Only lead events whose grade is one of these (null: any grade).</param>
/// <param name="MinScoreChange">Only lead.scored events that moved the score by at least this much (null: any change).</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.WebhookFilter")]
public sealed record WebhookFilter([property: Id(0)] IReadOnlyList<string>? Grades, [property: Id(1)] double? MinScoreChange);

/// <summary>What a caller sets on a webhook; on an update, null leaves a setting as it is.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.WebhookSettings")]
public sealed record WebhookSettings(
    [property: Id(0)] string? Url,
    [property: Id(1)] IReadOnlyList<string>? EventTypes,
    [property: Id(2)] WebhookFilter? Filter,
    [property: Id(3)] string? Description,
    [property: Id(4)] bool? Enabled,
    [property: Id(5)] bool ClearFilter = false);

/// <summary>A webhook endpoint as its workspace's admins see it (never its secret).</summary>
/// <param name="DisabledReason">Why the system disabled it (410 Gone, failing for days); null when an admin did or it is enabled.</param>
/// <param name="PreviousSecretExpiresAt">While a rotated-out secret still signs, until when.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.Webhook")]
public sealed record Webhook(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> EventTypes,
    [property: Id(3)] WebhookFilter? Filter,
    [property: Id(4)] string? Description,
    [property: Id(5)] bool Enabled,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] string? DisabledReason,
    [property: Id(9)] DateTimeOffset? PreviousSecretExpiresAt);

[GenerateSerializer, Alias("LeadScoring.WebhookStatus")]
public enum WebhookStatus
{
    Ok = 0,
    NotFound = 1,
    Invalid = 2,
}

/// <summary>A command's answer: the webhook after it, or why not; <paramref name="Secret"/> only when one was made (creation, rotation).</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.WebhookResult")]
public sealed record WebhookResult(
    [property: Id(0)] WebhookStatus Status,
    [property: Id(1)] Webhook? Webhook,
    [property: Id(2)] IReadOnlyList<ValidationError> Errors,
    [property: Id(3)] string? Secret = null);

/// <summary>One attempt to deliver an event to an endpoint.</summary>
/// <param name="Status">The endpoint's HTTP status; null when no answer came (timeout, refused connection).</param>
/// <param name="NextAttemptAt">When it is tried again; null when it succeeded or was the last try.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.WebhookDelivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] string EventId,
    [property: Id(1)] string EventType,
    [property: Id(2)] int Attempt,
    [property: Id(3)] DateTimeOffset AttemptedAt,
    [property: Id(4)] int? Status,
    [property: Id(5)] double LatencyMs,
    [property: Id(6)] string? Error,
    [property: Id(7)] DateTimeOffset? NextAttemptAt)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>What to deliver again: every event since a time, or every event after one (by id).</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.WebhookReplay")]
public sealed record WebhookReplay([property: Id(0)] DateTimeOffset? Since, [property: Id(1)] string? AfterEventId);

[GenerateSerializer, Immutable, Alias("LeadScoring.WebhookReplayResult")]
public sealed record WebhookReplayResult([property: Id(0)] WebhookStatus Status, [property: Id(1)] int Queued, [property: Id(2)] IReadOnlyList<ValidationError> Errors);
