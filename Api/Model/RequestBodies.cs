using System.ComponentModel;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

// The JSON bodies the API accepts, as the OpenAPI document publishes them. The parsers beside them (LeadRequests,
// ScoreRequests, ...) read bodies by hand to name every invalid field at once; they accept exactly these fields
// (JsonFields.RejectUnknown<TBody>), so the document and the parser cannot disagree on a name. A field the
// contract requires is `required` here.

[Description("A lead to create, or the fields of an existing lead to change.")]
public sealed record UpsertLeadBody
{
    [Description("Your id for the lead: 1-128 characters of letters, digits, '-', '_', '.', ':' or '@'.")]
    public required string LeadId { get; init; }

    [Description("What is known of the lead (company_size, industry, lead_source, ...): strings, numbers, booleans; null removes one.")]
    public IReadOnlyDictionary<string, JsonElement>? Attributes { get; init; }

    [Description("Personal data, sealed at rest and masked for every role but admin.")]
    public string? Email { get; init; }

    public string? Name { get; init; }

    public string? Phone { get; init; }

    public ConsentBody? Consent { get; init; }
}

[Description("Consent to profiling (scoring) and to marketing; a field left out is not changed.")]
public sealed record ConsentBody
{
    public bool? Profiling { get; init; }

    public bool? Marketing { get; init; }
}

public sealed record LeadActivitiesBody
{
    public required IReadOnlyList<ActivityBody> Activities { get; init; }
}

public sealed record ActivityBody
{
    [Description("Your id for the activity: a repeated id is recorded once.")]
    public string? ActivityId { get; init; }

    public required ActivityType Type { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public ActivityPropertiesBody? Properties { get; init; }
}

public sealed record ActivityPropertiesBody
{
    public double? DurationSeconds { get; init; }

    public string? Url { get; init; }

    public string? Channel { get; init; }

    public string? ContentId { get; init; }
}

public sealed record ActivityBatchBody
{
    [Description("At most 1,000 activities, of any leads.")]
    public required IReadOnlyList<BatchActivityBody> Activities { get; init; }
}

public sealed record BatchActivityBody
{
    public required string LeadId { get; init; }

    public string? ActivityId { get; init; }

    public required ActivityType Type { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public ActivityPropertiesBody? Properties { get; init; }
}

public sealed record LeadOutcomeBody
{
    public required bool Converted { get; init; }

    public double? DealValue { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }
}

public sealed record ScoreLeadBody
{
    public required string LeadId { get; init; }

    [Description("Add the recommendations (next action, channel, content) to the answer.")]
    public bool? IncludeInsights { get; init; }

    [Description("Score within this A/B test: the lead's variant's model scores it.")]
    public string? ExperimentId { get; init; }
}

public sealed record ScoreLeadsBatchBody
{
    public required IReadOnlyList<LeadReferenceBody> Leads { get; init; }

    public bool? IncludeInsights { get; init; }
}

public sealed record LeadReferenceBody
{
    public required string LeadId { get; init; }
}

[Description("Train on the workspace's recorded outcomes (a CSV is uploaded as multipart/form-data instead).")]
public sealed record TrainFromHistoryBody
{
    [Description("Always 'history'.")]
    public required string Source { get; init; }

    [Description("Leave out the columns the leakage check flags.")]
    public bool? ExcludeLeaky { get; init; }

    [Description("An attribute to report the model's fairness over.")]
    public string? FairnessColumn { get; init; }

    [Description("'fitted' (default) or 'fixed' ensemble weights.")]
    public string? Blend { get; init; }
}

public sealed record CreateExperimentBody
{
    public required string ExperimentId { get; init; }

    public required IReadOnlyList<string> Variants { get; init; }

    [Description("Each variant's share of the leads; the shares add up to 1.")]
    public required IReadOnlyDictionary<string, double> TrafficSplit { get; init; }

    [Description("Each variant's model version.")]
    public required IReadOnlyDictionary<string, string> VariantModels { get; init; }

    public required string Hypothesis { get; init; }

    [Description("conversion_rate (default).")]
    public string? PrimaryMetric { get; init; }

    public double? MinimumDetectableEffect { get; init; }
}

public sealed record StopExperimentBody
{
    [Description("Make the winning variant's model the champion.")]
    public bool? PromoteWinner { get; init; }
}

[Description("A webhook endpoint; on update, a field left out is not changed.")]
public sealed record WebhookBody
{
    [Description("Required on create: an https URL.")]
    public string? Url { get; init; }

    [Description("Required on create: the event types to deliver.")]
    public IReadOnlyList<string>? EventTypes { get; init; }

    [Description("Deliver only events that pass it; null on update removes it.")]
    public WebhookFilterBody? Filter { get; init; }

    public string? Description { get; init; }

    public bool? Enabled { get; init; }
}

public sealed record WebhookFilterBody
{
    public IReadOnlyList<string>? Grades { get; init; }

    public double? MinScoreChange { get; init; }
}

public sealed record RotateWebhookSecretBody
{
    [Description("How long the old secret keeps signing too (0 to 604800; default one day).")]
    public double? GracePeriodSeconds { get; init; }
}

[Description("Give either since or event_id.")]
public sealed record ReplayWebhookEventsBody
{
    public DateTimeOffset? Since { get; init; }

    [Description("Replay the events after this one.")]
    public string? EventId { get; init; }
}
