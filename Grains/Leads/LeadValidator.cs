using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// The rules a lead command must satisfy before anything is changed. Field names are JSON paths of the
/// HTTP API so that callers of either the API or the grain contract see the same errors.
/// </summary>
public static class LeadValidator
{
    public static List<ValidationError> ValidateUpsert(LeadUpsert upsert, IReadOnlyDictionary<string, LeadAttributeValue> current)
    {
        var errors = new List<ValidationError>();
        var resultingCount = current.Count;
        foreach (var (name, value) in upsert.Attributes)
        {
            var field = $"attributes.{name}";
            if (!LeadAttributeName.IsValid(name))
            {
                errors.Add(new(field, LeadAttributeName.Rule));
                continue;
            }

            switch (value)
            {
                case null:
                    resultingCount -= current.ContainsKey(name) ? 1 : 0;
                    continue;
                case { Kind: LeadAttributeKind.Text, Text: null }:
                    errors.Add(new(field, "text attributes need a value"));
                    break;
                case { Kind: LeadAttributeKind.Text } when value.Text!.Length > LeadLimits.MaxTextLength:
                    errors.Add(new(field, $"must be at most {LeadLimits.MaxTextLength} characters"));
                    break;
                case { Kind: LeadAttributeKind.Number } when !double.IsFinite(value.Number):
                    errors.Add(new(field, "must be a finite number"));
                    break;
            }

            resultingCount += current.ContainsKey(name) ? 0 : 1;
        }

        if (resultingCount > LeadLimits.MaxAttributes)
        {
            errors.Add(new("attributes", $"a lead holds at most {LeadLimits.MaxAttributes} attributes"));
        }

        if (upsert.Email is { } email && (email.Length > LeadLimits.MaxEmailLength || !IsPlausibleEmail(email)))
        {
            errors.Add(new("email", $"must be an e-mail address of at most {LeadLimits.MaxEmailLength} characters"));
        }

        if (upsert.Name is { Length: > LeadLimits.MaxNameLength })
        {
            errors.Add(new("name", $"must be at most {LeadLimits.MaxNameLength} characters"));
        }

        if (upsert.Phone is { } phone && (phone.Length > LeadLimits.MaxPhoneLength || !phone.Any(char.IsAsciiDigit)
            || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.')))
        {
            errors.Add(new("phone", $"must be a phone number of at most {LeadLimits.MaxPhoneLength} characters (digits, spaces and + - ( ) .)"));
        }

        return errors;
    }

    public static List<ValidationError> ValidateActivities(IReadOnlyList<ActivityRecord> activities, DateTimeOffset now)
    {
        var errors = new List<ValidationError>();
        if (activities.Count == 0)
        {
            errors.Add(new("activities", "must contain at least one activity"));
        }
        else if (activities.Count > LeadLimits.MaxActivitiesPerCall)
        {
            errors.Add(new("activities", $"at most {LeadLimits.MaxActivitiesPerCall} activities per request"));
        }

        for (var i = 0; i < activities.Count && errors.Count < 50; i++)
        {
            var activity = activities[i];
            // Field paths are built only for errors: every accepted activity passes through here.
            string Field(string name) => $"activities[{i}].{name}";
            if (!Enum.IsDefined(activity.Type))
            {
                errors.Add(new(Field("type"), $"unknown activity type; allowed: {string.Join(", ", ActivityTypeNames.All)}"));
            }

            if (activity.ActivityId is { } id && (id.Length is 0 or > LeadLimits.MaxActivityIdLength))
            {
                errors.Add(new(Field("activity_id"), $"must be 1-{LeadLimits.MaxActivityIdLength} characters"));
            }

            if (TimestampProblem(activity.OccurredAt, now) is { } timing)
            {
                errors.Add(new(Field("occurred_at"), timing));
            }

            var properties = activity.Properties;
            if (properties.DurationSeconds is { } duration && (!double.IsFinite(duration) || duration < 0 || duration > LeadLimits.MaxDurationSeconds))
            {
                errors.Add(new(Field("properties.duration_seconds"), $"must be a finite number from 0 to {LeadLimits.MaxDurationSeconds}"));
            }

            foreach (var (name, value, max) in (ReadOnlySpan<(string, string?, int)>)[
                ("properties.url", properties.Url, LeadLimits.MaxUrlLength),
                ("properties.channel", properties.Channel, LeadLimits.MaxChannelLength),
                ("properties.content_id", properties.ContentId, LeadLimits.MaxContentIdLength)])
            {
                if (value is { Length: var length } && length > max)
                {
                    errors.Add(new(Field(name), $"must be at most {max} characters"));
                }
            }
        }

        return errors;
    }

    public static List<ValidationError> ValidateOutcome(OutcomeRecord outcome, DateTimeOffset now)
    {
        var errors = new List<ValidationError>();
        if (outcome.DealValue is { } value && (!double.IsFinite(value) || value < 0))
        {
            errors.Add(new("deal_value", "must be a finite number of at least 0"));
        }

        if (outcome.ClosedAt is { } closedAt && TimestampProblem(closedAt, now) is { } timing)
        {
            errors.Add(new("closed_at", timing));
        }

        return errors;
    }

    /// <summary>Why a time cannot be the time of an event, or null.</summary>
    private static string? TimestampProblem(DateTimeOffset at, DateTimeOffset now) =>
        at > now + LeadLimits.FutureTolerance ? $"is more than {LeadLimits.FutureTolerance.TotalMinutes:0} minutes in the future"
        : at < LeadLimits.EarliestEvent ? $"is before {LeadLimits.EarliestEvent:yyyy-MM-dd}"
        : null;

    private static bool IsPlausibleEmail(string email)
    {
        var at = email.IndexOf('@');
        return at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1 && !email.Any(char.IsWhiteSpace);
    }
}
