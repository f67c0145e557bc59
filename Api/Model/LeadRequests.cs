using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

/// <summary>The body of POST /api/leads: which lead, and what to set on it.</summary>
public sealed record NewLead(string LeadId, LeadUpsert Upsert);

/// <summary>
/// A batch of activities: each lead's, where each of them was in the batch (to name a refused one's field), and
/// how many there are in all.
/// </summary>
public sealed record ActivityBatch(IReadOnlyList<LeadActivities> Leads, IReadOnlyList<IReadOnlyList<int>> Positions, int Activities);

/// <summary>
/// Turns request bodies into grain commands. Only the shape is checked here (types, required fields, known
/// names); the rules on values live in the grain, so every client of the cluster gets the same answers.
/// </summary>
public static class LeadRequests
{
    public static NewLead? ParseUpsert(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<UpsertLeadBody>(root, "");
        var leadId = fields.String(root, "", "lead_id", required: true);
        if (leadId is not null && !LeadKey.IsValidLeadId(leadId))
        {
            fields.Errors.Add(new("lead_id", LeadKey.LeadIdRule));
        }

        var attributes = new Dictionary<string, LeadAttributeValue?>(StringComparer.Ordinal);
        if (root.TryGetProperty("attributes", out var attributesJson) && attributesJson.ValueKind != JsonValueKind.Null
            && fields.RequireObject(attributesJson, "attributes"))
        {
            foreach (var attribute in attributesJson.EnumerateObject())
            {
                // Names are stored trimmed: " Lead Source" from a careless export is the attribute "Lead Source".
                var attributeName = attribute.Name.Trim();
                if (attributes.ContainsKey(attributeName))
                {
                    fields.Errors.Add(new($"attributes.{attributeName}", "is named twice (names are compared after trimming)"));
                    continue;
                }

                var value = attribute.Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        attributes[attributeName] = LeadAttributeValue.OfText(value.GetString()!);
                        break;
                    case JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number):
                        attributes[attributeName] = LeadAttributeValue.OfNumber(number);
                        break;
                    case JsonValueKind.Number:
                        fields.Errors.Add(new($"attributes.{attributeName}", "must be a finite number"));
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        attributes[attributeName] = LeadAttributeValue.OfBoolean(value.GetBoolean());
                        break;
                    case JsonValueKind.Null:
                        attributes[attributeName] = null;
                        break;
                    default:
                        fields.Errors.Add(new($"attributes.{attributeName}", "must be a string, number, boolean or null"));
                        break;
                }
            }
        }

        ConsentUpdate? consent = null;
        if (root.TryGetProperty("consent", out var consentJson) && consentJson.ValueKind != JsonValueKind.Null
            && fields.RequireObject(consentJson, "consent"))
        {
            fields.RejectUnknown<ConsentBody>(consentJson, "consent");
            consent = new ConsentUpdate(
                fields.Boolean(consentJson, "consent", "profiling", required: false),
                fields.Boolean(consentJson, "consent", "marketing", required: false));
        }

        var email = fields.String(root, "", "email", required: false);
        var name = fields.String(root, "", "name", required: false);
        var phone = fields.String(root, "", "phone", required: false);
        return leadId is null ? null : new NewLead(leadId, new LeadUpsert(attributes, email, name, consent, phone));
    }

    /// <summary>POST /api/leads/{id}/consent: {"profiling": bool, "marketing": bool}, at least one of them.</summary>
    public static ConsentUpdate? ParseConsent(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<ConsentBody>(root, "");
        var consent = new ConsentUpdate(
            fields.Boolean(root, "", "profiling", required: false),
            fields.Boolean(root, "", "marketing", required: false));
        if (consent is { Profiling: null, Marketing: null })
        {
            fields.Errors.Add(new("profiling", "give profiling, marketing or both"));
        }

        return consent;
    }

    /// <summary>Most activities one batch call may record.</summary>
    public const int MaxBatchActivities = 1_000;

    /// <summary>The body of POST /api/leads/{lead_id}/activities: {"activities": [activity, ...]}.</summary>
    public static List<ActivityRecord>? ParseActivities(JsonElement root, JsonFields fields) =>
        ParseActivityList(root, fields, inBatch: false).ConvertAll(item => item.Activity);

    /// <summary>
    /// The body of POST /api/leads/activities/batch: {"activities": [activity with its "lead_id", ...]}, grouped by
    /// lead in the order each lead first appears, each lead's activities in the order sent.
    /// </summary>
    public static ActivityBatch? ParseActivityBatch(JsonElement root, JsonFields fields)
    {
        var items = ParseActivityList(root, fields, inBatch: true);
        var byLead = new Dictionary<string, (List<ActivityRecord> Activities, List<int> Positions)>(StringComparer.Ordinal);
        var leads = new List<LeadActivities>();
        var positions = new List<IReadOnlyList<int>>();
        foreach (var (leadId, activity, position) in items)
        {
            if (!byLead.TryGetValue(leadId!, out var lead))
            {
                byLead[leadId!] = lead = ([], []);
                leads.Add(new LeadActivities(leadId!, lead.Activities));
                positions.Add(lead.Positions);
            }

            lead.Activities.Add(activity);
            lead.Positions.Add(position);
        }

        return new ActivityBatch(leads, positions, items.Count);
    }

    private static List<(string? LeadId, ActivityRecord Activity, int Position)> ParseActivityList(JsonElement root, JsonFields fields, bool inBatch)
    {
        var activities = new List<(string?, ActivityRecord, int)>();
        if (!fields.RequireObject(root, ""))
        {
            return activities;
        }

        fields.RejectUnknown<LeadActivitiesBody>(root, "");
        if (!root.TryGetProperty("activities", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            fields.Errors.Add(new("activities", "is required and must be an array"));
            return activities;
        }

        var index = -1;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"activities[{++index}]";
            if (!fields.RequireObject(item, path))
            {
                continue;
            }

            if (inBatch)
            {
                fields.RejectUnknown<BatchActivityBody>(item, path);
            }
            else
            {
                fields.RejectUnknown<ActivityBody>(item, path);
            }

            var leadId = inBatch ? fields.String(item, path, "lead_id", required: true) : null;
            if (leadId is not null && !LeadKey.IsValidLeadId(leadId))
            {
                fields.Errors.Add(new($"{path}.lead_id", LeadKey.LeadIdRule));
                continue;
            }

            var id = fields.String(item, path, "activity_id", required: false);
            var typeName = fields.String(item, path, "type", required: true);
            var occurredAt = fields.Timestamp(item, path, "occurred_at", required: true);
            var properties = ParseProperties(item, path, fields);
            ActivityType type = default;
            if (typeName is not null && !ActivityTypeNames.TryParse(typeName, out type))
            {
                fields.Errors.Add(new($"{path}.type", $"unknown activity type '{typeName}'; allowed: {string.Join(", ", ActivityTypeNames.All)}"));
                continue;
            }

            if (typeName is not null && occurredAt is { } at && (leadId is not null || !inBatch))
            {
                activities.Add((leadId, new ActivityRecord(id, type, at, properties), index));
            }
        }

        return activities;
    }

    public static OutcomeRecord? ParseOutcome(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<LeadOutcomeBody>(root, "");
        var converted = fields.Boolean(root, "", "converted", required: true);
        var dealValue = fields.Number(root, "", "deal_value");
        var closedAt = fields.Timestamp(root, "", "closed_at", required: false);
        return converted is { } value ? new OutcomeRecord(value, dealValue, closedAt) : null;
    }

    private static ActivityProperties ParseProperties(JsonElement item, string path, JsonFields fields)
    {
        if (!item.TryGetProperty("properties", out var json) || json.ValueKind == JsonValueKind.Null)
        {
            return ActivityProperties.None;
        }

        var propertiesPath = $"{path}.properties";
        if (!fields.RequireObject(json, propertiesPath))
        {
            return ActivityProperties.None;
        }

        fields.RejectUnknown<ActivityPropertiesBody>(json, propertiesPath);
        return new ActivityProperties(
            fields.Number(json, propertiesPath, "duration_seconds"),
            fields.String(json, propertiesPath, "url", required: false),
            fields.String(json, propertiesPath, "channel", required: false),
            fields.String(json, propertiesPath, "content_id", required: false));
    }
}
