using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LeadScoring.Modeling.Statistics;
using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>Reading the table: labels, time columns, column names, the data fingerprint.</summary>
public sealed partial class EnsembleTrainer
{
    private (List<int> Rows, List<bool> Labels, string Positive, int Unlabelled) ResolveLabels(CsvTable table)
    {
        var index = table.IndexOf(options.Label);
        if (index < 0)
        {
            throw new TrainingInputException($"unknown label column '{options.Label}'; the columns are: {string.Join(", ", table.Columns)}");
        }

        var values = table.Column(index).Where(c => !MissingValues.IsMissing(c)).Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (values.Count < 2)
        {
            throw new TrainingInputException($"label column '{options.Label}' has {(values.Count == 0 ? "no values" : "one class only")}");
        }

        var positive = options.Positive
            ?? values.FirstOrDefault(v => InferredPositives.Contains(v, StringComparer.OrdinalIgnoreCase))
            ?? throw new TrainingInputException($"cannot tell which label value means converted among {string.Join(", ", values.Take(10))}; give --positive");
        if (!values.Contains(positive, StringComparer.OrdinalIgnoreCase))
        {
            throw new TrainingInputException($"label column '{options.Label}' has no value '{positive}'");
        }

        var rows = new List<int>();
        var labels = new List<bool>();
        var unlabelled = 0;
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var cell = table.Rows[r][index].Trim();
            var isPositive = string.Equals(cell, positive, StringComparison.OrdinalIgnoreCase);
            var isNegative = !isPositive && !MissingValues.IsMissing(cell)
                && (options.Negative is null || string.Equals(cell, options.Negative, StringComparison.OrdinalIgnoreCase));
            if (isPositive || isNegative)
            {
                rows.Add(r);
                labels.Add(isPositive);
            }
            else
            {
                unlabelled++;
            }
        }

        var positives = labels.Count(l => l);
        if (rows.Count < TrainingOptions.MinimumRows)
        {
            throw new TrainingInputException($"only {rows.Count} labelled rows; at least {TrainingOptions.MinimumRows} are needed");
        }

        if (positives < TrainingOptions.MinimumPerClass || rows.Count - positives < TrainingOptions.MinimumPerClass)
        {
            throw new TrainingInputException(
                $"{positives} positive and {rows.Count - positives} negative rows; at least {TrainingOptions.MinimumPerClass} of each are needed");
        }

        return (rows, labels, positive, unlabelled);
    }

    private static List<DateTime?> ParseTimes(CsvTable table, string column)
    {
        var index = table.IndexOf(column);
        if (index < 0)
        {
            throw new TrainingInputException($"unknown --time-column '{column}'");
        }

        var format = DateFormatOf(table, index) ?? throw new TrainingInputException($"--time-column '{column}' holds no dates in a known format");
        return [.. table.Column(index).Select(c => MissingValues.TryParseDate(c, format, out var t) ? t : (DateTime?)null)];
    }

    private static string? DateFormatOf(CsvTable table, int index)
    {
        var sample = table.Column(index).Where(c => !MissingValues.IsMissing(c)).Take(500).ToList();
        return sample.Count == 0 ? null : MissingValues.DateFormats.FirstOrDefault(f => sample.All(c => MissingValues.TryParseDate(c, f, out _)));
    }

    private static string? FindColumn(CsvTable table, string[] names) =>
        table.Columns.FirstOrDefault(c => names.Contains(c.Trim(), StringComparer.OrdinalIgnoreCase));

    private static string Fingerprint(CsvTable table)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var row in table.Rows.Prepend([.. table.Columns]))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', row) + '\u001e'));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
