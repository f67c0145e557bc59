namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// A training run: on an uploaded CSV export (<see cref="Csv"/>), or on the workspace's own labelled leads
/// (their point-in-time snapshots) when <see cref="Csv"/> is null.
/// </summary>
/// <param name="Schema">The export's schema (JSON, as <c>train --schema</c> reads it): column types, dimensions, and columns that are live activity features.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.TrainingRequest")]
public sealed record TrainingRequest(
    [property: Id(0)] byte[]? Csv,
    [property: Id(1)] string? Label,
    [property: Id(2)] string? Positive,
    [property: Id(3)] string? Negative,
    [property: Id(4)] IReadOnlyList<string> Exclude,
    [property: Id(5)] bool ExcludeLeaky,
    [property: Id(6)] string? TimeColumn,
    [property: Id(7)] string? FairnessColumn,
    [property: Id(8)] string? Blend,
    [property: Id(9)] string? Schema = null);

[GenerateSerializer, Alias("LeadScoring.TrainingJobState")]
public enum TrainingJobState
{
    Running = 0,
    Succeeded = 1,
    Failed = 2,
}

/// <param name="ReportJson">The training report (snake_case JSON) once the job succeeded.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.TrainingJobStatus")]
public sealed record TrainingJobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] TrainingJobState State,
    [property: Id(2)] string Stage,
    [property: Id(3)] int Percent,
    [property: Id(4)] string? Error,
    [property: Id(5)] string? ModelVersion,
    [property: Id(6)] string? ReportJson,
    [property: Id(7)] DateTimeOffset StartedAt,
    [property: Id(8)] DateTimeOffset? FinishedAt);

/// <param name="ReportJson">The model's training report (snake_case JSON).</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.ModelSummary")]
public sealed record ModelSummary(
    [property: Id(0)] string Version,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] string DataFingerprint,
    [property: Id(3)] bool IsChampion,
    [property: Id(4)] string ReportJson);
