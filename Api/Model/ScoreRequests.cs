using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

/// <summary>Turns scoring request bodies into requests; only their shape is checked here.</summary>
public static class ScoreRequests
{
    /// <summary>Most leads one batch call may score.</summary>
    public const int MaxBatchLeads = 10_000;

    public static SingleScoreRequest? ParseSingle(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<ScoreLeadBody>(root, "");
        var leadId = fields.String(root, "", "lead_id", required: true);
        if (leadId is not null && !LeadKey.IsValidLeadId(leadId))
        {
            fields.Errors.Add(new("lead_id", LeadKey.LeadIdRule));
        }

        var insights = fields.Boolean(root, "", "include_insights", required: false) ?? false;
        var experiment = fields.String(root, "", "experiment_id", required: false);
        return fields.Errors.Count == 0 ? new SingleScoreRequest(leadId!, insights, experiment) : null;
    }

    /// <summary>Lead ids are taken as they are: the batch reports an invalid one as that lead's failure.</summary>
    public static BatchScoreRequest? ParseBatch(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<ScoreLeadsBatchBody>(root, "");
        var insights = fields.Boolean(root, "", "include_insights", required: false) ?? false;
        if (!root.TryGetProperty("leads", out var leads) || leads.ValueKind != JsonValueKind.Array)
        {
            fields.Errors.Add(new("leads", "is required: an array of {\"lead_id\": ...}"));
            return null;
        }

        var ids = new List<string>(leads.GetArrayLength());
        var index = 0;
        foreach (var lead in leads.EnumerateArray())
        {
            var path = $"leads[{index++}]";
            if (!fields.RequireObject(lead, path))
            {
                continue;
            }

            fields.RejectUnknown<LeadReferenceBody>(lead, path);
            if (fields.String(lead, path, "lead_id", required: true) is { } id)
            {
                ids.Add(id);
            }
        }

        if (ids.Count == 0 && fields.Errors.Count == 0)
        {
            fields.Errors.Add(new("leads", "must name at least one lead"));
        }

        return fields.Errors.Count == 0 ? new BatchScoreRequest(ids, insights) : null;
    }
}
