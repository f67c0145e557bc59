using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Web.Components.Models;

/// <summary>
/// What the pages show of a model version, read from its training report (the registry keeps the report as JSON,
/// snake_case, as the training API answers it). A field an older report lacks is null, and the page says so.
/// </summary>
public sealed record ModelCard(
    string Version, DateTimeOffset CreatedAt, bool IsChampion, int Rows, int Positives, int TrainRows, int HoldoutRows,
    double? Auc, double? Accuracy, double? Precision, double? Recall, double? Brier, double? Ece, double? CrossValidationAuc, double? CrossValidationStd,
    string? Assessment, string? DataSource, string? Label, double? BaseRate,
    IReadOnlyList<(string Column, double SingleFeatureAuc)> LeakageWarnings,
    IReadOnlyList<(string Column, double AucDrop)> Importance,
    IReadOnlyList<ReliabilityPoint>? Reliability,
    FairnessView? Fairness)
{
    /// <summary>True when the model learned from simulated history rather than the workspace's own outcomes.</summary>
    public bool IsSimulated => DataSource?.StartsWith("simulated", StringComparison.Ordinal) == true;

    public static ModelCard From(ModelSummary model)
    {
        using var document = JsonDocument.Parse(model.ReportJson);
        var report = document.RootElement;
        var holdout = report.TryGetProperty("holdout", out var h) ? h : default;
        var cv = report.TryGetProperty("cross_validation", out var c) ? c : default;
        return new ModelCard(
            model.Version, model.CreatedAt, model.IsChampion,
            Int(report, "rows"), Int(report, "positives"), Int(report, "train_rows"), Int(report, "holdout_rows"),
            Number(holdout, "auc"), Number(holdout, "accuracy"), Number(holdout, "precision"), Number(holdout, "recall"), Number(holdout, "brier"), Number(holdout, "ece"),
            Number(cv, "auc_mean"), Number(cv, "auc_std"),
            Text(report, "assessment"), Text(report, "data_source"), Text(report, "label"), Number(report, "base_rate"),
            [.. Array(report, "leakage_warnings").Select(w => (Text(w, "column") ?? "", Number(w, "single_feature_auc") ?? 0))],
            [.. Array(report, "permutation_importance").Select(i => (Text(i, "column") ?? "", Number(i, "auc_drop") ?? 0))],
            report.TryGetProperty("reliability", out var reliability) && reliability.ValueKind == JsonValueKind.Array
                ? [.. reliability.EnumerateArray().Select(b => new ReliabilityPoint(
                    Number(b, "from") ?? 0, Number(b, "to") ?? 0, Int(b, "count"), Number(b, "mean_predicted") ?? 0, Number(b, "observed_rate") ?? 0))]
                : null,
            report.TryGetProperty("fairness", out var fairness) && fairness.ValueKind == JsonValueKind.Object
                ? new FairnessView(
                    Text(fairness, "column") ?? "", Number(fairness, "demographic_parity_difference"), Number(fairness, "equal_opportunity_difference"),
                    [.. Array(fairness, "groups").Select(g => new FairnessGroupView(
                        Text(g, "group") ?? "", Int(g, "count"), Number(g, "positive_rate"), Number(g, "true_positive_rate"), Number(g, "false_positive_rate")))])
                : null);
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static int Int(JsonElement element, string name) => (int)(Number(element, name) ?? 0);

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>One bin of the reliability diagram: predictions from <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record ReliabilityPoint(double From, double To, int Count, double MeanPredicted, double ObservedRate);

public sealed record FairnessView(string Column, double? DemographicParityDifference, double? EqualOpportunityDifference, IReadOnlyList<FairnessGroupView> Groups);

public sealed record FairnessGroupView(string Group, int Count, double? PositiveRate, double? TruePositiveRate, double? FalsePositiveRate);
