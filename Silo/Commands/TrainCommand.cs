using System.Globalization;
using System.Text.Json;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Silo.Commands;

/// <summary>
/// ./run.sh train: trains the ensemble on a CSV export, prints a summary and optionally writes the report and the
/// holdout predictions.
/// Any input it cannot use is a one-line error with exit code 2.
/// </summary>
internal static class TrainCommand
{
    private static readonly JsonSerializerOptions IndentedReport = new(ReportJson.Options) { WriteIndented = true };

    /// <summary>Loads a file and says how it was read, so that a wrong delimiter shows before training does.</summary>
    private static CsvTable Read(string path)
    {
        var table = CsvTable.Load(path);
        Console.WriteLine($"read {path}: {table.Rows.Count:N0} rows, {table.Columns.Count} columns, {table.DelimiterName}-separated");
        return table;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var (data, options, joins, reportPath, register, predictionsPath) = Parse(args);
            var registry = register is null ? null : await RegistryCommands.OpenAsync();
            var table = Read(data);
            foreach (var (file, key) in joins)
            {
                table = CsvJoin.LeftJoin(table, Read(file), key, Path.GetFileNameWithoutExtension(file));
            }

            var result = new EnsembleTrainer(options, new ConsoleProgress()).Train(table);
            if (reportPath is not null)
            {
                File.WriteAllText(reportPath, JsonSerializer.Serialize(result.Report, IndentedReport));
            }

            if (predictionsPath is not null)
            {
                HoldoutPredictions.Write(predictionsPath, table, result);
            }

            PrintSummary(result.Report);
            if (registry is not null)
            {
                var version = await registry.RegisterAsync(register!, result);
                var promoted = await registry.ChampionAsync(register!) is null
                    && await registry.PromoteAsync(register!, version.Version, "first model of the workspace");
                Console.WriteLine($"registered {version.Version} in workspace '{register}'{(promoted ? " and made it the champion" : "; promote it with ./run.sh promote")}");
            }

            return 0;
        }
        catch (Exception e) when (e is TrainingInputException or FormatException or IOException or UnauthorizedAccessException or JsonException
            or Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static (string Data, TrainingOptions Options, List<(string File, string Key)> Joins, string? Report, string? Register, string? Predictions) Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var joins = new List<(string, string)>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--exclude-leaky" or "--register":
                    flags.Add(args[i]);
                    break;
                case "--join" when i + 1 < args.Length && args[i + 1].LastIndexOf(':') is > 0 and var colon:
                    joins.Add((args[i + 1][..colon], args[i + 1][(colon + 1)..]));
                    i++;
                    break;
                case "--data" or "--label" or "--positive" or "--negative" or "--exclude" or "--time-column" or "--fairness-column"
                    or "--schema" or "--report" or "--deal-value-column" or "--start-date-column" or "--close-date-column"
                    or "--blend" or "--search-seconds" or "--workspace" or "--predictions" when i + 1 < args.Length:
                    values[args[i]] = args[++i];
                    break;
                default:
                    throw new TrainingInputException($"unknown or incomplete option '{args[i]}' (see ./run.sh help)");
            }
        }

        var data = values.GetValueOrDefault("--data") ?? throw new TrainingInputException("train needs --data FILE");
        if (!File.Exists(data))
        {
            throw new TrainingInputException($"no such file: {data}");
        }

        var label = values.GetValueOrDefault("--label") ?? throw new TrainingInputException("train needs --label COLUMN");
        var options = new TrainingOptions
        {
            Label = label,
            Positive = values.GetValueOrDefault("--positive"),
            Negative = values.GetValueOrDefault("--negative"),
            Exclude = values.TryGetValue("--exclude", out var exclude) ? [.. exclude.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : [],
            ExcludeLeaky = flags.Contains("--exclude-leaky"),
            TimeColumn = values.GetValueOrDefault("--time-column"),
            FairnessColumn = values.GetValueOrDefault("--fairness-column"),
            Schema = values.TryGetValue("--schema", out var schema) ? SchemaFile.Load(schema) : null,
            DealValueColumn = values.GetValueOrDefault("--deal-value-column"),
            StartDateColumn = values.GetValueOrDefault("--start-date-column"),
            CloseDateColumn = values.GetValueOrDefault("--close-date-column"),
            Blend = values.GetValueOrDefault("--blend") switch
            {
                null or "fitted" => BlendMode.Fitted,
                "fixed" => BlendMode.Fixed,
                var other => throw new TrainingInputException($"--blend is 'fitted' or 'fixed', not '{other}'"),
            },
            SearchBudget = values.TryGetValue("--search-seconds", out var seconds)
                && double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                ? TimeSpan.FromSeconds(s)
                : TimeSpan.FromSeconds(20),
        };
        var workspace = values.GetValueOrDefault("--workspace");
        if (flags.Contains("--register") && workspace is null)
        {
            throw new TrainingInputException("--register needs --workspace W");
        }

        return (data, options, joins, values.GetValueOrDefault("--report"), flags.Contains("--register") ? workspace : null, values.GetValueOrDefault("--predictions"));
    }

    private static void PrintSummary(TrainingReport report)
    {
        var h = report.Holdout;
        var m = report.Models;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            rows {report.Rows} (positives {report.Positives}, base rate {report.BaseRate:0.000}; {report.UnlabelledRows} unlabelled), train {report.TrainRows} / holdout {report.HoldoutRows} ({report.Split})
            features {report.Features.Count} from {report.Schema.Count} columns; excluded {report.ExcludedColumns.Count}; leakage warnings: {(report.LeakageWarnings.Count == 0 ? "none" : string.Join(", ", report.LeakageWarnings.Select(l => $"{l.Column} ({l.SingleFeatureAuc:0.000})")))}

            model                  holdout AUC
            random forest          {m.RandomForest.Auc:0.0000}
            boosted trees          {m.GradientBoosting.Auc:0.0000}
            logistic regression    {m.LogisticRegression.Auc:0.0000}
            fixed 0.4/0.4/0.2      {m.Ensemble.FixedBlendAuc:0.0000}
            ensemble (fitted)      {m.Ensemble.Auc:0.0000}   weights {string.Join(", ", m.Ensemble.Weights.Select(w => $"{w.Key} {w.Value:0.00}"))}
                                   {m.Ensemble.Choice}

            holdout: AUC {h.Auc:0.0000}  accuracy {h.Accuracy:0.0000}  precision {h.Precision:0.000}  recall {h.Recall:0.000}  F1 {h.F1:0.000}  Brier {h.Brier:0.0000}  ECE {h.Ece:0.0000}  threshold {h.Threshold:0.000}
            cross-validation: {report.CrossValidation.Folds} folds, AUC {report.CrossValidation.AucMean:0.0000} ± {report.CrossValidation.AucStd:0.0000}
            assessment: {report.Assessment}
            """));
        if (report.Regression is { } regression)
        {
            foreach (var (name, score) in new[] { ("deal size", regression.DealSize), ("days to close", regression.TimeToClose) })
            {
                if (score is not null)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name}: MAE {score.Mae:0.##} vs median baseline {score.BaselineMae:0.##} ({(score.BeatsBaseline ? "beats" : "does NOT beat")} the baseline)"));
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {report.TrainingSeconds:0.0} s"));
    }

    /// <summary>A rewritten status line on a terminal; one line per stage otherwise (logs, CI).</summary>
    private sealed class ConsoleProgress : IProgress<TrainingProgress>
    {
        private string? _lastStage;

        public void Report(TrainingProgress value)
        {
            if (!Console.IsOutputRedirected)
            {
                Console.Write($"\r{value.Stage,-28} {value.Percent,3}%");
            }
            else if (value.Stage != _lastStage)
            {
                Console.WriteLine($"train: {value.Stage} ({value.Percent}%)");
            }

            _lastStage = value.Stage;
        }
    }
}
