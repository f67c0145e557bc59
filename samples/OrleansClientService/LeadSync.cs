using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScoring.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadScoring.Samples.OrleansClientService;

/// <summary>One lead of the input file, as a CRM connector would read it.</summary>
public sealed record LeadLine(string LeadId, Dictionary<string, JsonElement>? Attributes, List<ActivityLine>? Activities);

public sealed record ActivityLine(string? ActivityId, string Type, DateTimeOffset OccurredAt);

/// <summary>What the service prints for each lead: one JSON line.</summary>
public sealed record SyncedLead(string LeadId, string Status, double? OverallScore, string? Grade, string? ModelVersion, string? TopReason);

/// <summary>Upserts each lead of the file, records its activities and reads its score, all through <see cref="ILeadGrain"/>.</summary>
public sealed class LeadSync(IClusterClient client, IOptions<LeadSyncOptions> options, ILogger<LeadSync> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Whether any lead could not be synced (the exit code says so).</summary>
    public bool Failed { get; private set; }

    public async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var workspace = options.Value.Workspace;
        foreach (var line in File.ReadLines(options.Value.InputFile).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lead = JsonSerializer.Deserialize<LeadLine>(line, Json) ?? throw new InvalidDataException($"Not a lead: {line}");
            var synced = await SyncAsync(workspace, lead);
            Failed |= synced.Status is not ("ok" or "no_model");
            await output.WriteLineAsync(JsonSerializer.Serialize(synced, Json));
        }
    }

    private async Task<SyncedLead> SyncAsync(string workspace, LeadLine line)
    {
        // The contract: the workspace is in the grain's key, and set on the request context so that the silos
        // refuse a call that would reach another workspace's grain (docs/clients.md).
        CallerWorkspace.Set(workspace);
        var lead = client.GetGrain<ILeadGrain>(WorkspaceKey.Format(workspace, line.LeadId));

        // Checked before anything is written, so that a refused lead leaves nothing half-synced.
        var activities = new List<ActivityRecord>();
        foreach (var activity in line.Activities ?? [])
        {
            if (!ActivityTypeNames.TryParse(activity.Type, out var type))
            {
                return Refused(line.LeadId, [new ValidationError("type", $"unknown activity type '{activity.Type}'")]);
            }

            activities.Add(new ActivityRecord(activity.ActivityId, type, activity.OccurredAt, new ActivityProperties(null, null, null, null)));
        }

        var attributes = (line.Attributes ?? []).ToDictionary(a => a.Key, a => AttributeValue(a.Value));
        var upserted = await lead.Upsert(new LeadUpsert(attributes, Email: null, Name: null, Consent: null));
        if (upserted.Status == CommandStatus.Invalid)
        {
            return Refused(line.LeadId, upserted.Errors);
        }

        if (activities.Count > 0 && await lead.RecordActivities(activities) is { Status: CommandStatus.Invalid } recorded)
        {
            return Refused(line.LeadId, recorded.Errors);
        }

        var result = await lead.GetScore(includeInsights: true);
        return result switch
        {
            { Status: ScoreStatus.Ok, Score: { } score } => new SyncedLead(
                line.LeadId, "ok", score.OverallScore, score.Grade, score.ModelVersion, score.KeyFactors.FirstOrDefault()?.Description),
            _ => new SyncedLead(line.LeadId, JsonNamingPolicy.SnakeCaseLower.ConvertName(result.Status.ToString()), null, null, null, null),
        };
    }

    private SyncedLead Refused(string leadId, IReadOnlyList<ValidationError> errors)
    {
        logger.LogWarning("Lead {LeadId} refused: {Errors}", leadId, string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}")));
        return new SyncedLead(leadId, "invalid", null, null, null, null);
    }

    private static LeadAttributeValue? AttributeValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => LeadAttributeValue.OfNumber(value.GetDouble()),
        JsonValueKind.True or JsonValueKind.False => LeadAttributeValue.OfBoolean(value.GetBoolean()),
        JsonValueKind.Null => null,
        _ => LeadAttributeValue.OfText(value.ToString()),
    };
}
