using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadScoring.Modeling.Training;

/// <summary>A registered model version without its (large) artifact.</summary>
public sealed record ModelVersion(string Workspace, string Version, DateTimeOffset CreatedAt, string DataFingerprint, TrainingReport Report, bool IsChampion);

public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
