using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Statistics;

namespace LeadScoring.Modeling.Training;

/// <summary>One position of the feature vector: its name, the column it comes from and its dimension.</summary>
public sealed record FeatureSlot(string Name, string Column, FeatureDimension Dimension);

/// <summary>
/// How one column becomes feature-vector slots, fitted on training rows only: numbers and dates (days since
/// 1970) impute the training median and add a missing indicator when the column had gaps; booleans are 0/1;
/// categories are one-hot over the frequent values, with rare and unseen values pooled into "other".
/// <see cref="LiveFeature"/>: the activity feature a live lead fills the column from (see <see cref="ColumnSchema"/>).
/// </summary>
public sealed record ColumnEncoding(
    string Column,
    ColumnKind Kind,
    FeatureDimension Dimension,
    FeatureSource Source,
    double Fill,
    bool MissingIndicator,
    string[] Categories,
    bool OtherCategory,
    string? DateFormat,
    double[]? BinEdges = null,
    string? LiveFeature = null)
{
    public const string Other = "__other__";
    public const string Missing = "__missing__";

    public int Width => Kind == ColumnKind.Categorical
        ? Categories.Length + (OtherCategory ? 1 : 0) + (MissingIndicator ? 1 : 0)
        : 1 + (MissingIndicator ? 1 : 0) + Bins;

    /// <summary>Numbers also get one-hot decile bins, so the linear model can follow non-linear effects.</summary>
    private int Bins => BinEdges is { Length: > 0 } edges ? edges.Length + 1 : 0;

    public IEnumerable<FeatureSlot> Slots()
    {
        if (Kind == ColumnKind.Categorical)
        {
            foreach (var category in Categories)
            {
                yield return new($"{Column}={category}", Column, Dimension);
            }

            if (OtherCategory)
            {
                yield return new($"{Column}={Other}", Column, Dimension);
            }
        }
        else
        {
            yield return new(Column, Column, Dimension);
        }

        if (MissingIndicator)
        {
            yield return new(Kind == ColumnKind.Categorical ? $"{Column}={Missing}" : $"{Column}#missing", Column, Dimension);
        }

        for (var b = 0; b < Bins; b++)
        {
            yield return new($"{Column}#bin{b}", Column, Dimension);
        }
    }

    public void Write(string? cell, Span<float> destination)
    {
        destination[..Width].Clear();
        var missing = MissingValues.IsMissing(cell);
        if (Kind == ColumnKind.Categorical)
        {
            if (missing)
            {
                if (MissingIndicator)
                {
                    destination[Width - 1] = 1;
                }

                return;
            }

            var index = Array.IndexOf(Categories, cell!.Trim());
            if (index >= 0)
            {
                destination[index] = 1;
            }
            else if (OtherCategory)
            {
                destination[Categories.Length] = 1;
            }

            return;
        }

        WriteValue(missing ? null : Kind switch
        {
            ColumnKind.Boolean => MissingValues.ParseBoolean(cell) is { } flag ? (flag ? 1 : 0) : null,
            ColumnKind.DateTime => MissingValues.TryParseDate(cell, DateFormat!, out var date) ? (date - DateTime.UnixEpoch).TotalDays : null,
            _ => MissingValues.TryParseNumber(cell, out var number) ? number : null,
        }, destination);
    }

    /// <summary>A numeric column's slots from the number itself (what <see cref="Write"/> does after parsing the text).</summary>
    public void WriteNumber(double? value, Span<float> destination)
    {
        if (Kind != ColumnKind.Numeric)
        {
            throw new InvalidOperationException($"column '{Column}' is {Kind}, not numeric");
        }

        destination[..Width].Clear();
        WriteValue(value is { } number && double.IsFinite(number) ? number : null, destination);
    }

    private void WriteValue(double? value, Span<float> destination)
    {
        destination[0] = (float)(value ?? Fill);
        if (MissingIndicator && value is null)
        {
            destination[1] = 1;
        }

        if (value is { } present && Bins > 0)
        {
            destination[1 + (MissingIndicator ? 1 : 0) + QuantileBins.BinOf(BinEdges, present)] = 1;
        }
    }

    public static ColumnEncoding Fit(ColumnSchema schema, IReadOnlyList<string> cells)
    {
        var present = cells.Where(c => !MissingValues.IsMissing(c)).Select(c => c.Trim()).ToList();
        var hasMissing = present.Count < cells.Count;
        if (schema.Kind == ColumnKind.Categorical)
        {
            var minimumCount = Math.Max(5, (int)(0.005 * cells.Count));
            var counts = present.GroupBy(c => c, StringComparer.Ordinal).Select(g => (Value: g.Key, Count: g.Count())).ToList();
            var kept = counts.Where(c => c.Count >= minimumCount)
                .OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal)
                .Take(60).Select(c => c.Value).ToArray();
            return new ColumnEncoding(schema.Name, schema.Kind, schema.Dimension, schema.Source, 0, hasMissing,
                kept, kept.Length < counts.Count, null, LiveFeature: schema.LiveFeature);
        }

        var probe = new ColumnEncoding(schema.Name, schema.Kind, schema.Dimension, schema.Source, double.NaN, false, [], false, schema.DateFormat,
            LiveFeature: schema.LiveFeature);
        var values = new List<double>(present.Count);
        Span<float> slot = stackalloc float[1];
        foreach (var cell in present)
        {
            probe.Write(cell, slot);
            if (!float.IsNaN(slot[0]))
            {
                values.Add(slot[0]);
            }
        }

        values.Sort();
        var median = values.Count == 0 ? 0 : values[values.Count / 2];
        var edges = values.Count == 0 ? [] : Enumerable.Range(1, 9).Select(d => values[d * values.Count / 10]).Distinct().Where(e => e > values[0]).ToArray();
        return probe with { Fill = median, MissingIndicator = hasMissing || values.Count < present.Count, BinEdges = edges.Length >= 2 ? edges : null };
    }
}

/// <summary>Turns rows (or a lead's attributes) into the model's feature vector.</summary>
public sealed class FeatureEncoder
{
    public FeatureEncoder(IReadOnlyList<ColumnEncoding> columns)
    {
        Columns = columns;
        Slots = [.. columns.SelectMany(c => c.Slots())];
    }

    public IReadOnlyList<ColumnEncoding> Columns { get; }

    public IReadOnlyList<FeatureSlot> Slots { get; }

    public int Width => Slots.Count;

    public static FeatureEncoder Fit(CsvTable table, IReadOnlyList<int> rows, IEnumerable<ColumnSchema> schema) =>
        new([.. schema.Select(s =>
        {
            var index = table.IndexOf(s.Name);
            return ColumnEncoding.Fit(s, [.. rows.Select(r => table.Rows[r][index])]);
        })]);

    /// <summary>Encodes by column name; a column the lookup does not know is missing.</summary>
    public float[] Encode(Func<string, string?> cellOf)
    {
        var vector = new float[Width];
        var offset = 0;
        foreach (var column in Columns)
        {
            column.Write(cellOf(column.Column), vector.AsSpan(offset));
            offset += column.Width;
        }

        return vector;
    }

    public float[][] EncodeRows(CsvTable table, IReadOnlyList<int> rows)
    {
        var indexes = Columns.Select(c => table.IndexOf(c.Column)).ToArray();
        var result = new float[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = table.Rows[rows[r]];
            var vector = new float[Width];
            var offset = 0;
            for (var c = 0; c < Columns.Count; c++)
            {
                Columns[c].Write(row[indexes[c]], vector.AsSpan(offset));
                offset += Columns[c].Width;
            }

            result[r] = vector;
        }

        return result;
    }
}
