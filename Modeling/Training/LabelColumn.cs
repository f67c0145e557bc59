namespace LeadScoring.Modeling.Training;

/// <summary>
/// The outcome column of an export and which of its values mean converted: the one rule training and import
/// share. A row is positive when its label is the positive value, negative when it is the negative value (or, with
/// none given, any other present value), and unlabelled otherwise (an open lead).
/// </summary>
public sealed class LabelColumn
{
    private static readonly string[] InferredPositives = ["1", "yes", "y", "true", "t", "won", "win", "converted", "closed won", "closed-won"];

    private LabelColumn(int index, string positive, string? negative, IReadOnlyList<string> values)
    {
        Index = index;
        Positive = positive;
        Negative = negative;
        Values = values;
    }

    public int Index { get; }

    public string Positive { get; }

    public string? Negative { get; }

    /// <summary>The column's distinct present values (compared ignoring case).</summary>
    public IReadOnlyList<string> Values { get; }

    /// <param name="positive">The value meaning converted; inferred from common spellings (1, yes, won, ...) when null.</param>
    /// <exception cref="TrainingInputException">No such column, or no value that means converted.</exception>
    public static LabelColumn Resolve(CsvTable table, string label, string? positive, string? negative)
    {
        var index = table.IndexOf(label);
        if (index < 0)
        {
            throw new TrainingInputException($"unknown label column '{label}'; the columns are: {string.Join(", ", table.Columns)}", "label");
        }

        var values = table.Column(index).Where(c => !MissingValues.IsMissing(c)).Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (values.Count == 0)
        {
            throw new TrainingInputException($"label column '{label}' has no values", "label");
        }

        // Values compare trimmed, as cells do: " >50K" (UCI Adult writes its labels with a leading space) is ">50K".
        negative = negative?.Trim();
        var resolved = positive?.Trim()
            ?? values.FirstOrDefault(v => InferredPositives.Contains(v, StringComparer.OrdinalIgnoreCase))
            ?? throw new TrainingInputException(values.Count == 1
                ? $"label column '{label}' has one class only ('{values[0]}'); give --positive if that value means converted"
                : $"cannot tell which label value means converted among {string.Join(", ", values.Take(10))}; give --positive", "positive");
        if (!values.Contains(resolved, StringComparer.OrdinalIgnoreCase))
        {
            throw new TrainingInputException($"label column '{label}' has no value '{resolved}'", "positive");
        }

        return new LabelColumn(index, resolved, negative, values);
    }

    /// <summary>True for converted, false for not converted, null for a row without an outcome.</summary>
    public bool? Classify(string[] row)
    {
        var cell = row[Index].Trim();
        if (string.Equals(cell, Positive, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return !MissingValues.IsMissing(cell) && (Negative is null || string.Equals(cell, Negative, StringComparison.OrdinalIgnoreCase))
            ? false
            : null;
    }
}
