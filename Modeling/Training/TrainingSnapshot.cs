using System.Globalization;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Training;

/// <summary>
/// A lead as it was when its outcome was recorded: its attributes and activity features then, never later.
/// A lead has one snapshot; a new outcome replaces it.
/// </summary>
public sealed record TrainingSnapshot(
    string Workspace,
    string LeadId,
    DateTimeOffset RecordedAt,
    bool Converted,
    double? DealValue,
    DateTimeOffset? ClosedAt,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<FeatureValue> Features)
{
    public const string LabelColumn = "converted";
    public const string DealValueColumn = "deal_value";
    public const string RecordedAtColumn = "recorded_at";

    /// <summary>How a table of snapshots trains: its label, deal value and, unless asked otherwise, a split by recording time.</summary>
    public static TrainingOptions HistoryOptions(TrainingOptions options) => options with
    {
        Label = LabelColumn,
        Positive = "yes",
        DealValueColumn = DealValueColumn,
        TimeColumn = options.TimeColumn ?? RecordedAtColumn,
    };

    /// <summary>
    /// The snapshots of a workspace as a table: one row per lead, a column per attribute and per activity
    /// feature, the label "converted" (yes/no), the won deal's value and when the outcome was recorded.
    /// </summary>
    public static CsvTable ToTable(IReadOnlyList<TrainingSnapshot> snapshots)
    {
        var attributeColumns = snapshots.SelectMany(s => s.Attributes.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var featureColumns = snapshots.SelectMany(s => s.Features.Select(f => f.Name)).Distinct(StringComparer.Ordinal).ToList();
        // An attribute named like a feature or a reserved column would be ambiguous: the feature wins.
        attributeColumns.RemoveAll(a => featureColumns.Contains(a) || a is LabelColumn or DealValueColumn or RecordedAtColumn);
        var rows = snapshots.Select(s =>
        {
            var features = s.Features.ToDictionary(f => f.Name, f => f.Number?.ToString("R", CultureInfo.InvariantCulture) ?? f.Category ?? "");
            return attributeColumns.Select(a => s.Attributes.GetValueOrDefault(a) ?? "")
                .Concat(featureColumns.Select(f => features.GetValueOrDefault(f) ?? ""))
                .Append(s.Converted ? "yes" : "no")
                .Append(s.DealValue?.ToString("R", CultureInfo.InvariantCulture) ?? "")
                .Append(s.RecordedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture))
                .ToArray();
        }).ToList();
        return new CsvTable([.. attributeColumns, .. featureColumns, LabelColumn, DealValueColumn, RecordedAtColumn], rows);
    }
}
