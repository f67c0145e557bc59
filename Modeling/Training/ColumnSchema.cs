using System.Globalization;
using System.Text.Json.Serialization;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Training;

[JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))]
public enum ColumnKind
{
    Numeric,
    Boolean,
    Categorical,
    DateTime,
    FreeText,
    Identifier,
}

/// <summary>Where a feature comes from when a live lead is scored.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureSource>))]
public enum FeatureSource
{
    /// <summary>A lead attribute (a CSV column, or an attribute posted with the lead).</summary>
    Attribute,

    /// <summary>An activity aggregate computed by the feature pipeline.</summary>
    Activity,
}

/// <summary>What schema inference (or a schema file) decided about one column.</summary>
/// <param name="LiveFeature">
/// The activity feature a live lead's value of this column comes from, when the schema maps the column to one
/// (an export's "TotalVisits" is the cluster's visit_count); null: the column itself (an attribute, or an
/// activity feature by that name).
/// </param>
public sealed record ColumnSchema(
    string Name,
    ColumnKind Kind,
    FeatureDimension Dimension,
    FeatureSource Source,
    double MissingRate,
    int DistinctValues,
    string? DateFormat = null,
    string? LiveFeature = null);

public sealed record ExcludedColumn(string Column, string Reason);

/// <summary>Cell texts that mean "no value". "select" is the untouched default of web-form drop-downs.</summary>
public static class MissingValues
{
    private static readonly HashSet<string> Tokens = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "na", "n/a", "nan", "null", "none", "-", "?", "select", "(blank)",
    };

    public static bool IsMissing(string? cell) => cell is null || Tokens.Contains(cell.Trim());

    public static bool TryParseNumber(string? cell, out double value)
    {
        value = 0;
        return !IsMissing(cell)
            && double.TryParse(cell!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    public static bool? ParseBoolean(string? cell) => cell?.Trim().ToLowerInvariant() switch
    {
        "yes" or "y" or "true" or "t" or "1" => true,
        "no" or "n" or "false" or "f" or "0" => false,
        _ => null,
    };

    public static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy/MM/dd", "MM/dd/yyyy", "dd/MM/yyyy", "dd.MM.yyyy", "dd-MM-yy", "dd-MM-yyyy", "MM-dd-yy", "MM-dd-yyyy",
    ];

    public static bool TryParseDate(string? cell, string format, out DateTime value) =>
        DateTime.TryParseExact(cell?.Trim(), format, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);
}
