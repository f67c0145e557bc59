using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

public sealed record TrainingJobAccepted(string JobId, string StatusUrl);

public sealed record TrainingJobResponse(
    string JobId, string State, string Stage, int Percent, string? Error, string? ModelVersion,
    JsonElement? Report, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt)
{
    public static TrainingJobResponse From(TrainingJobStatus status) => new(
        status.JobId, status.State.ToString().ToLowerInvariant(), status.Stage, status.Percent, status.Error, status.ModelVersion,
        status.ReportJson is { } json ? JsonDocument.Parse(json).RootElement : null, status.StartedAt, status.FinishedAt);
}

public sealed record ModelVersionResponse(string Version, DateTimeOffset CreatedAt, string DataFingerprint, bool Champion, JsonElement Metrics, JsonElement? Report)
{
    /// <summary>The list shows the holdout metrics; a single version shows its whole report.</summary>
    public static ModelVersionResponse From(ModelSummary model, bool withReport)
    {
        var report = JsonDocument.Parse(model.ReportJson).RootElement;
        return new(model.Version, model.CreatedAt, model.DataFingerprint, model.IsChampion, report.GetProperty("holdout"), withReport ? report : null);
    }
}

public sealed record ModelListResponse(string? Champion, IReadOnlyList<ModelVersionResponse> Models);

public sealed record ChampionResponse(string Champion);

public sealed record RetrainingEnvelope(bool Success, RetrainingStatus Data);

/// <param name="Started">False when a job was already running (that one goes on).</param>
public sealed record RetrainingStarted(bool Started);
