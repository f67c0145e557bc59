using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

/// <summary>Turns webhook request bodies into settings; the rules on values (URL, types, grades) live in the silo.</summary>
public static class WebhookRequests
{
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromHours(24);
    public static readonly TimeSpan LongestGracePeriod = TimeSpan.FromDays(7);

    /// <summary>{"url", "event_types": [...], "filter"?: {"grades"?: [...], "min_score_change"?}, "description"?, "enabled"?}</summary>
    public static WebhookSettings? ParseCreate(JsonElement root, JsonFields fields) => Parse(root, fields, creating: true);

    /// <summary>As for creation, every field optional; "filter": null removes the filter.</summary>
    public static WebhookSettings? ParseUpdate(JsonElement root, JsonFields fields) => Parse(root, fields, creating: false);

    /// <summary>{"grace_period_seconds"?}: how long the old secret keeps signing (default a day, at most a week).</summary>
    public static RotationRequest? ParseRotation(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<RotateWebhookSecretBody>(root, "");
        var seconds = fields.Number(root, "", "grace_period_seconds");
        if (seconds is { } s && !(s >= 0 && s <= LongestGracePeriod.TotalSeconds))
        {
            fields.Errors.Add(new("grace_period_seconds", $"must be between 0 and {LongestGracePeriod.TotalSeconds:0} (a week)"));
        }

        return fields.Errors.Count == 0 ? new RotationRequest(seconds is { } grace ? TimeSpan.FromSeconds(grace) : DefaultGracePeriod) : null;
    }

    /// <summary>{"since": time} or {"event_id": id}: exactly one.</summary>
    public static WebhookReplay? ParseReplay(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<ReplayWebhookEventsBody>(root, "");
        var since = fields.Timestamp(root, "", "since", required: false);
        var eventId = fields.String(root, "", "event_id", required: false);
        if ((since is null) == (eventId is null) && fields.Errors.Count == 0)
        {
            fields.Errors.Add(new("since", "give either since (a time) or event_id (replay after that event), not both"));
        }

        return fields.Errors.Count == 0 ? new WebhookReplay(since, eventId) : null;
    }

    private static WebhookSettings? Parse(JsonElement root, JsonFields fields, bool creating)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<WebhookBody>(root, "");
        var url = fields.String(root, "", "url", required: creating);
        var description = fields.String(root, "", "description", required: false);
        var enabled = fields.Boolean(root, "", "enabled", required: false);
        IReadOnlyList<string>? types = null;
        if (root.TryGetProperty("event_types", out var typesJson))
        {
            types = Strings(typesJson, "event_types", fields);
        }
        else if (creating)
        {
            fields.Errors.Add(new("event_types", "is required: an array of event types"));
        }

        WebhookFilter? filter = null;
        var clearFilter = false;
        if (root.TryGetProperty("filter", out var filterJson))
        {
            if (filterJson.ValueKind == JsonValueKind.Null)
            {
                clearFilter = true;
            }
            else if (fields.RequireObject(filterJson, "filter"))
            {
                fields.RejectUnknown<WebhookFilterBody>(filterJson, "filter");
                var grades = filterJson.TryGetProperty("grades", out var gradesJson) ? Strings(gradesJson, "filter.grades", fields) : null;
                filter = new WebhookFilter(grades, fields.Number(filterJson, "filter", "min_score_change"));
            }
        }

        return fields.Errors.Count == 0 ? new WebhookSettings(url, types, filter, description, enabled, clearFilter) : null;
    }

    private static List<string>? Strings(JsonElement json, string field, JsonFields fields)
    {
        if (json.ValueKind != JsonValueKind.Array || json.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            fields.Errors.Add(new(field, "must be an array of strings"));
            return null;
        }

        return [.. json.EnumerateArray().Select(e => e.GetString()!)];
    }
}

public sealed record RotationRequest(TimeSpan GracePeriod);
