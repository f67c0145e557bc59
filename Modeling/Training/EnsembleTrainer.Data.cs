using System.Security.Cryptography;
using System.Text;

namespace LeadScoring.Modeling.Training;

/// <summary>Stages 1-4, reading the table: labels, the feature columns, the holdout split; and the data fingerprint.</summary>
public sealed partial class EnsembleTrainer
{
    /// <summary>Stage 2: which value of the label column means converted, and the rows that have a label.</summary>
    private LabelledRows ResolveLabels(CsvTable table)
    {
        var label = LabelColumn.Resolve(table, options.Label, options.Positive, options.Negative);
        if (label.Values.Count < 2)
        {
            throw new TrainingInputException($"label column '{options.Label}' has one class only");
        }

        var rows = new List<int>();
        var labels = new List<bool>();
        var unlabelled = 0;
        for (var r = 0; r < table.Rows.Count; r++)
        {
            if (label.Classify(table.Rows[r]) is { } converted)
            {
                rows.Add(r);
                labels.Add(converted);
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

        return new LabelledRows(new CsvTable(table.Columns, [.. rows.Select(r => table.Rows[r])], table.Delimiter), labels, label.Positive, unlabelled, rows);
    }

    /// <summary>
    /// Stage 3: every column but the label, the regression targets, the time column, columns about the close and
    /// those excluded by name, with its inferred type; identifiers, free text and constants are left out with the reason.
    /// </summary>
    private CandidateColumns ChooseColumns(CsvTable table, LabelledRows labelled)
    {
        foreach (var named in new[] { options.DealValueColumn, options.StartDateColumn, options.CloseDateColumn, options.FairnessColumn, options.TimeColumn }.Concat(options.Exclude))
        {
            if (named is not null && table.IndexOf(named) < 0)
            {
                throw new TrainingInputException($"unknown column '{named}'; the columns are: {string.Join(", ", table.Columns)}");
            }
        }

        var dealValue = options.DealValueColumn ?? FindColumn(table, ["close_value", "deal_value", "deal_size", "amount", "opportunity_value"]);
        var closeDate = options.CloseDateColumn ?? FindColumn(table, ["close_date", "closed_at", "closed_date", "close date"]);
        var startDate = options.StartDateColumn ?? FindColumn(table, ["engage_date", "created_date", "created_at", "start_date", "engage date"]);

        // Regression targets and the split's time column describe the outcome or its timing, never the lead.
        var reserved = new[] { options.Label, dealValue, closeDate, options.TimeColumn }.OfType<string>().ToHashSet(StringComparer.Ordinal);
        // Columns about the close (its date, quarter, value) exist only once a deal is decided: they leak.
        var closing = table.Columns.Where(c => !reserved.Contains(c) && c.Contains("close", StringComparison.OrdinalIgnoreCase)).ToList();
        var candidates = table.Columns
            .Where(c => !reserved.Contains(c) && !closing.Contains(c) && !options.Exclude.Contains(c, StringComparer.Ordinal))
            .ToList();
        var (schema, excluded) = SchemaInference.Infer(labelled.Table, candidates, options.Schema);
        excluded.InsertRange(0, options.Exclude.Select(c => new ExcludedColumn(c, "excluded by --exclude")));
        excluded.AddRange(closing.Where(c => !options.Exclude.Contains(c)).Select(c => new ExcludedColumn(c, "describes the close: known only after the outcome")));
        excluded.AddRange(reserved.Where(c => c != options.Label).Select(c => new ExcludedColumn(c, c == options.TimeColumn
            ? "time column: used to split, not as a feature"
            : "regression target: known only after the outcome")));
        return new CandidateColumns(schema, excluded, dealValue, startDate, closeDate);
    }

    /// <summary>Stage 4: a 20% holdout, stratified or the latest by the time column, and the folds of the training part.</summary>
    private HoldoutSplit SplitHoldout(LabelledRows labelled)
    {
        var (train, holdout) = options.TimeColumn is { } timeColumn
            ? DataSplits.ByTime(ParseTimes(labelled.Table, timeColumn), TrainingOptions.HoldoutFraction)
            : DataSplits.Stratified(labelled.Labels, TrainingOptions.HoldoutFraction, options.Seed);
        var trainLabels = train.Select(i => labelled.Labels[i]).ToArray();
        var holdoutLabels = holdout.Select(i => labelled.Labels[i]).ToArray();
        if (trainLabels.Count(l => l) < 2 || holdoutLabels.Count(l => l) < 1 || holdoutLabels.All(l => l))
        {
            throw new TrainingInputException("the holdout split leaves a class empty; add rows or drop --time-column");
        }

        return new HoldoutSplit(train, holdout, trainLabels, holdoutLabels, DataSplits.Folds(trainLabels, options.Folds, options.Seed));
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
