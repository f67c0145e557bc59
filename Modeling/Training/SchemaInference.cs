using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Training;

/// <summary>A schema file's say on one column; anything left null is inferred.</summary>
/// <param name="Feature">
/// The activity feature (of <see cref="Features.FeatureCatalog"/>) that this column is in a live lead: the model
/// reads the column in training and that feature from the lead's activities in production. Implies source "activity".
/// </param>
public sealed record ColumnOverride(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("dimension")] FeatureDimension? Dimension,
    [property: JsonPropertyName("source")] FeatureSource? Source,
    [property: JsonPropertyName("feature")] string? Feature = null);

/// <summary>The optional schema file: {"columns": {"Name": {"type", "dimension", "source", "feature"}}}.</summary>
public sealed record SchemaFile([property: JsonPropertyName("columns")] Dictionary<string, ColumnOverride> Columns)
{
    public static SchemaFile Load(string path) => Parse(File.ReadAllText(path), $"schema file {path}");

    /// <param name="what">How an error names the schema ("schema file x.json", "the schema field").</param>
    /// <exception cref="FormatException">Not a schema, or a column mapped to something that is not a live activity feature.</exception>
    public static SchemaFile Parse(string json, string what)
    {
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        SchemaFile? schema;
        try
        {
            schema = JsonSerializer.Deserialize<SchemaFile>(json, options);
        }
        catch (JsonException invalid)
        {
            throw new FormatException($"{what} is not a schema ({{\"columns\": {{\"Name\": {{...}}}}}}): {invalid.Message}");
        }

        if (schema?.Columns is null)
        {
            throw new FormatException($"{what} has no \"columns\"");
        }

        foreach (var (column, say) in schema.Columns)
        {
            if (say.Feature is { } feature && Features.FeatureCatalog.IndexOf(feature) < 0)
            {
                throw new FormatException($"{what}: column '{column}' maps to '{feature}', which is not a live activity feature; they are: {string.Join(", ", Features.FeatureCatalog.All.Select(f => f.Name))}");
            }

            if (say.Feature is not null && say.Source == FeatureSource.Attribute)
            {
                throw new FormatException($"{what}: column '{column}' maps to an activity feature, so its source is 'activity', not 'attribute'");
            }

            if (say.Feature is null && say.Source == FeatureSource.Activity && Features.FeatureCatalog.IndexOf(column) < 0)
            {
                throw new FormatException($"{what}: column '{column}' has source 'activity' but no \"feature\": name the live activity feature it is (e.g. \"visit_count\")");
            }
        }

        return schema;
    }
}

/// <summary>
/// Decides per column whether it is numeric, boolean, categorical, a date, free text or an identifier, and
/// which columns cannot be features (identifiers, free text, constants), with the reason.
/// </summary>
public static partial class SchemaInference
{
    public static (List<ColumnSchema> Features, List<ExcludedColumn> Excluded) Infer(
        CsvTable table, IEnumerable<string> candidateColumns, SchemaFile? schemaFile = null)
    {
        var features = new List<ColumnSchema>();
        var excluded = new List<ExcludedColumn>();
        foreach (var column in candidateColumns)
        {
            var index = table.IndexOf(column);
            var cells = table.Column(index).ToList();
            var present = cells.Where(c => !MissingValues.IsMissing(c)).Select(c => c.Trim()).ToList();
            var missingRate = cells.Count == 0 ? 1 : 1 - (double)present.Count / cells.Count;
            var distinct = present.Distinct(StringComparer.Ordinal).Count();
            var forced = schemaFile?.Columns.GetValueOrDefault(column);
            var (dimension, source) = DimensionHeuristics.Guess(forced?.Feature ?? column);
            dimension = forced?.Dimension ?? dimension;
            source = forced?.Source ?? source;

            if (forced?.Type is "ignore")
            {
                excluded.Add(new(column, "ignored by the schema file"));
                continue;
            }

            var (kind, reason, dateFormat) = forced?.Type is { } type
                ? (ParseKind(type, column), "set by the schema file", type.Equals("datetime", StringComparison.OrdinalIgnoreCase) ? FindDateFormat(present) : null)
                : Classify(column, present, cells.Count, distinct);

            if (kind is ColumnKind.Identifier or ColumnKind.FreeText)
            {
                excluded.Add(new(column, reason));
            }
            else if (distinct <= 1)
            {
                excluded.Add(new(column, present.Count == 0 ? "always missing" : "constant: one value in every row"));
            }
            else if (kind == ColumnKind.DateTime && dateFormat is null)
            {
                excluded.Add(new(column, "no known date format parses its values"));
            }
            else
            {
                features.Add(new ColumnSchema(column, kind, dimension, source, missingRate, distinct, dateFormat, forced?.Feature));
            }
        }

        return (features, excluded);
    }

    private static (ColumnKind Kind, string Reason, string? DateFormat) Classify(string column, List<string> present, int rows, int distinct)
    {
        var uniquePerRow = present.Count == rows && distinct == rows && rows > 20;
        if (present.Count > 0 && present.All(c => MissingValues.ParseBoolean(c) is not null) && distinct <= 2)
        {
            return (ColumnKind.Boolean, "", null);
        }

        if (present.Count > 0 && present.All(c => MissingValues.TryParseNumber(c, out _)))
        {
            if (uniquePerRow && present.All(c => long.TryParse(c, out _)))
            {
                var numbers = present.Select(long.Parse).ToList();
                var span = (double)(numbers.Max() - numbers.Min() + 1) / rows;
                if (span < 10 || IdentifierName().IsMatch(column))
                {
                    return (ColumnKind.Identifier, "running number: a distinct whole number in every row", null);
                }
            }

            return (ColumnKind.Numeric, "", null);
        }

        if (FindDateFormat(present) is { } format)
        {
            return (ColumnKind.DateTime, "", format);
        }

        if (present.Count > 0 && present.All(c => Guid.TryParse(c, out _)))
        {
            return (ColumnKind.Identifier, "GUIDs", null);
        }

        var averageLength = present.Count == 0 ? 0 : present.Average(c => c.Length);
        if (distinct > 0.5 * present.Count && averageLength >= 20 && present.Count(c => c.Contains(' ')) > present.Count / 2)
        {
            return (ColumnKind.FreeText, "free text (not used as a feature)", null);
        }

        if (uniquePerRow)
        {
            return (ColumnKind.Identifier, "a distinct value in every row", null);
        }

        if (distinct > 0.5 * present.Count && present.Count > 100)
        {
            return (ColumnKind.Identifier, $"near-unique: {distinct} distinct values in {present.Count} rows", null);
        }

        return (ColumnKind.Categorical, "", null);
    }

    private static string? FindDateFormat(List<string> present)
    {
        if (present.Count == 0 || !present[0].Any(char.IsDigit))
        {
            return null;
        }

        var sample = present.Take(500).ToList();
        return MissingValues.DateFormats.FirstOrDefault(f => sample.All(c => MissingValues.TryParseDate(c, f, out _)));
    }

    private static ColumnKind ParseKind(string type, string column) => type.ToLowerInvariant() switch
    {
        "numeric" => ColumnKind.Numeric,
        "boolean" => ColumnKind.Boolean,
        "categorical" => ColumnKind.Categorical,
        "datetime" => ColumnKind.DateTime,
        "text" => ColumnKind.FreeText,
        "identifier" => ColumnKind.Identifier,
        _ => throw new FormatException($"schema file: column '{column}' has unknown type '{type}' (numeric, boolean, categorical, datetime, text, identifier, ignore)"),
    };

    [GeneratedRegex(@"(^|[\s_\-])(id|no|nr|num|number|key|code)$|^id[\s_\-]", RegexOptions.IgnoreCase)]
    private static partial Regex IdentifierName();
}
