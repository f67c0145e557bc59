using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Web.Components.Scores;

/// <summary>The headline a lead.scored or lead.grade_changed event carries, read from its data.</summary>
public sealed record LiveScore(double? Score, double? Probability, string? Grade, ScoreTrend? Trend, string? PreviousGrade, DateTimeOffset? ScoredAt)
{
    public static LiveScore From(WorkspaceEvent e)
    {
        using var document = JsonDocument.Parse(e.Data);
        var data = document.RootElement;
        return new LiveScore(
            Number(data, "overall_score"), Number(data, "probability"), Text(data, "grade"),
            Text(data, "trend") is { } trend && Enum.TryParse<ScoreTrend>(trend, ignoreCase: true, out var parsed) ? parsed : null,
            Text(data, "previous_grade"),
            data.TryGetProperty("scored_at", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : null);
    }

    private static double? Number(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
