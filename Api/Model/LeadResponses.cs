using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

public sealed record ConsentResponse(bool Profiling, bool Marketing);

public sealed record AggregateResponse(string Name, object? Value, FeatureDimension Dimension);

public sealed record ActivityPropertiesResponse(double? DurationSeconds, string? Url, string? Channel, string? ContentId);

public sealed record ActivityResponse(string? ActivityId, string Type, DateTimeOffset OccurredAt, ActivityPropertiesResponse Properties);

public sealed record OutcomeResponse(bool Converted, double? DealValue, DateTimeOffset? ClosedAt, DateTimeOffset RecordedAt)
{
    public static OutcomeResponse From(LeadOutcome outcome) =>
        new(outcome.Converted, outcome.DealValue, outcome.ClosedAt, outcome.RecordedAt);
}

public sealed record LeadResponse(
    string LeadId,
    string Workspace,
    IReadOnlyDictionary<string, object> Attributes,
    string? Email,
    string? Name,
    ConsentResponse Consent,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long ActivityCount,
    IReadOnlyList<AggregateResponse> Aggregates,
    IReadOnlyList<ActivityResponse> RecentActivities,
    OutcomeResponse? Outcome,
    string? Phone,
    IReadOnlyDictionary<string, string> PersonalAttributes,
    bool PersonalDataMasked,
    string? PersonalDataUnreadable)
{
    /// <param name="masked">Personal data (e-mail, name, phone, personal attributes) masked: for every role but admin.</param>
    public static LeadResponse From(LeadSnapshot lead, bool masked) => new(
        lead.LeadId,
        lead.Workspace,
        lead.Attributes.ToDictionary(a => a.Key, a => AttributeJson(a.Value), StringComparer.Ordinal),
        masked ? PersonalDataMask.Email(lead.Email) : lead.Email,
        masked ? PersonalDataMask.Text(lead.Name) : lead.Name,
        new ConsentResponse(lead.Consent.Profiling, lead.Consent.Marketing),
        lead.CreatedAt,
        lead.UpdatedAt,
        lead.ActivityCount,
        [.. lead.Aggregates.Select(f => new AggregateResponse(f.Name, f.Number is { } n ? n : f.Category, f.Dimension))],
        [.. lead.RecentActivities.Select(a => new ActivityResponse(
            a.ActivityId,
            a.Type.ToWireName(),
            a.OccurredAt,
            new ActivityPropertiesResponse(a.Properties.DurationSeconds, a.Properties.Url, a.Properties.Channel, a.Properties.ContentId)))],
        lead.Outcome is { } o ? OutcomeResponse.From(o) : null,
        masked ? PersonalDataMask.Phone(lead.Phone) : lead.Phone,
        masked
            ? lead.PersonalAttributes.ToDictionary(a => a.Key, a => PersonalDataMask.Text(a.Value)!, StringComparer.Ordinal)
            : lead.PersonalAttributes,
        masked,
        lead.PersonalDataUnreadable);

    private static object AttributeJson(LeadAttributeValue value) => value.Kind switch
    {
        LeadAttributeKind.Number => value.Number,
        LeadAttributeKind.Boolean => value.Boolean,
        _ => value.Text ?? "",
    };
}

public sealed record ActivitiesAcceptedResponse(int Accepted, int Duplicate);

/// <summary>POST /api/leads/activities/batch: what each lead recorded, and the leads that recorded nothing, with why.</summary>
public sealed record ActivityBatchResponse(IReadOnlyList<LeadActivitiesAcceptedResponse> Results, IReadOnlyList<ActivityBatchFailure> Failed);

public sealed record LeadActivitiesAcceptedResponse(string LeadId, int Accepted, int Duplicate);

/// <summary>A lead of a batch whose activities were not recorded; <see cref="Errors"/> name the batch's invalid fields.</summary>
public sealed record ActivityBatchFailure(string LeadId, string Error, IReadOnlyList<ValidationError> Errors);

public sealed record LeadExportResponse(LeadResponse Lead, IReadOnlyList<ScoreHistoryEntryResponse> ScoreHistory, DateTimeOffset ExportedAt);
