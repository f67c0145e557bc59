using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LeadScoring.Modeling.Statistics;
using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>What a training run produced: the report and the model to register.</summary>
public sealed record TrainingResult(TrainingReport Report, ModelArtifact Artifact);

/// <summary>
/// Trains the scoring ensemble on a table: label resolution, schema inference, a stratified (or time-based)
/// holdout, a leakage check, a small boosted-tree search and permutation-importance feature selection on an
/// inner split, k-fold out-of-fold predictions of random forest, boosted trees and logistic regression, a
/// blend fitted on them (which calibrates), final models on all training rows, and holdout evaluation.
/// </summary>
public sealed class EnsembleTrainer(TrainingOptions options, IProgress<TrainingProgress>? progress = null)
{
    private static readonly string[] InferredPositives = ["1", "yes", "y", "true", "t", "won", "win", "converted", "closed won", "closed-won"];

    private static readonly BoostingSettings[] SearchSpace =
    [
        new(300, 31, 0.05, 10),
        new(600, 15, 0.03, 20),
        new(200, 63, 0.08, 5),
        new(400, 31, 0.03, 20),
        new(1000, 7, 0.05, 30),
    ];

    private static readonly string[] ModelNames = ["random_forest", "gradient_boosting", "logistic_regression"];

    public TrainingResult Train(CsvTable table)
    {
        var clock = Stopwatch.StartNew();
        Report("reading data", 0);
        var (rows, labels, positiveLabel, unlabelled) = ResolveLabels(table);
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
        var labelledTable = new CsvTable(table.Columns, [.. rows.Select(r => table.Rows[r])]);
        var (schema, excluded) = SchemaInference.Infer(labelledTable, candidates, options.Schema);
        excluded.InsertRange(0, options.Exclude.Select(c => new ExcludedColumn(c, "excluded by --exclude")));
        excluded.AddRange(closing.Where(c => !options.Exclude.Contains(c)).Select(c => new ExcludedColumn(c, "describes the close: known only after the outcome")));
        excluded.AddRange(reserved.Where(c => c != options.Label).Select(c => new ExcludedColumn(c, c == options.TimeColumn
            ? "time column: used to split, not as a feature"
            : "regression target: known only after the outcome")));

        Report("splitting", 5);
        var (train, holdout) = options.TimeColumn is { } timeColumn
            ? DataSplits.ByTime(ParseTimes(labelledTable, timeColumn), TrainingOptions.HoldoutFraction)
            : DataSplits.Stratified(labels, TrainingOptions.HoldoutFraction, options.Seed);
        var trainLabels = train.Select(i => labels[i]).ToArray();
        var holdoutLabels = holdout.Select(i => labels[i]).ToArray();
        if (trainLabels.Count(l => l) < 2 || holdoutLabels.Count(l => l) < 1 || holdoutLabels.All(l => l))
        {
            throw new TrainingInputException("the holdout split leaves a class empty; add rows or drop --time-column");
        }

        var folds = DataSplits.Folds(trainLabels, options.Folds, options.Seed);

        Report("checking leakage", 10);
        var leakage = new List<LeakageWarning>();
        foreach (var column in schema)
        {
            var index = labelledTable.IndexOf(column.Name);
            var auc = LeakageCheck.SingleFeatureAuc(column, [.. train.Select(i => labelledTable.Rows[i][index])], trainLabels, folds);
            if (auc >= TrainingOptions.LeakageAucThreshold)
            {
                leakage.Add(new LeakageWarning(column.Name, Math.Round(auc, 4)));
            }
        }

        if (options.ExcludeLeaky)
        {
            var leaky = leakage.Select(l => l.Column).ToHashSet(StringComparer.Ordinal);
            excluded.AddRange(leakage.Select(l => new ExcludedColumn(l.Column, $"leaky: single-feature AUC {l.SingleFeatureAuc:0.000} (--exclude-leaky)")));
            schema = [.. schema.Where(s => !leaky.Contains(s.Name))];
        }

        if (schema.Count == 0)
        {
            throw new TrainingInputException("no usable feature columns are left");
        }

        var models = new BaseModels(options.Seed);
        var positiveWeight = (float)Math.Clamp(trainLabels.Count(l => !l) / (double)trainLabels.Count(l => l), 1, 10);

        Report("searching hyperparameters", 15);
        var innerTrain = Enumerable.Range(0, train.Count).Where(i => folds[i] != 0).ToList();
        var innerValidation = Enumerable.Range(0, train.Count).Where(i => folds[i] == 0).ToList();
        var encoder = FeatureEncoder.Fit(labelledTable, [.. innerTrain.Select(i => train[i])], schema);
        var innerX = encoder.EncodeRows(labelledTable, [.. innerTrain.Select(i => train[i])]);
        var validationX = encoder.EncodeRows(labelledTable, [.. innerValidation.Select(i => train[i])]);
        var innerY = innerTrain.Select(i => trainLabels[i]).ToArray();
        var validationY = innerValidation.Select(i => trainLabels[i]).ToArray();
        var best = (Settings: SearchSpace[0], Auc: -1.0, Model: (ITransformer?)null);
        var searchClock = Stopwatch.StartNew();
        foreach (var candidate in SearchSpace)
        {
            if (best.Model is not null && searchClock.Elapsed > options.SearchBudget)
            {
                break;
            }

            var model = models.Train(BaseModelKind.GradientBoosting, innerX, innerY, positiveWeight, candidate, encoder.Width);
            var auc = ClassificationMetrics.AreaUnderCurve(models.Score(model, validationX, encoder.Width), validationY);
            if (auc > best.Auc)
            {
                best = (candidate, auc, model);
            }
        }

        Report("ranking features", 30);
        var importance = PermutationImportance(models, best.Model!, encoder, validationX, validationY, best.Auc);
        // Drop only columns whose shuffling did not hurt at all, and never more than half of them.
        var useless = importance.Where(i => i.AucDrop <= 0).Select(i => i.Column).Take(schema.Count / 2).ToHashSet(StringComparer.Ordinal);
        excluded.AddRange(useless.Select(c => new ExcludedColumn(c, "no permutation importance on the validation fold")));
        schema = [.. schema.Where(s => !useless.Contains(s.Name))];

        Report("cross-validating", 40);
        encoder = FeatureEncoder.Fit(labelledTable, train, schema);
        var trainX = encoder.EncodeRows(labelledTable, train);
        var holdoutX = encoder.EncodeRows(labelledTable, holdout);
        var outOfFold = new double[train.Count][];
        for (var f = 0; f < options.Folds; f++)
        {
            var fitRows = Enumerable.Range(0, train.Count).Where(i => folds[i] != f).ToArray();
            var scoreRows = Enumerable.Range(0, train.Count).Where(i => folds[i] == f).ToArray();
            var fitX = fitRows.Select(i => trainX[i]).ToArray();
            var fitY = fitRows.Select(i => trainLabels[i]).ToArray();
            var scoreX = scoreRows.Select(i => trainX[i]).ToArray();
            var perModel = Enum.GetValues<BaseModelKind>()
                .Select(kind => models.Score(models.Train(kind, fitX, fitY, positiveWeight, best.Settings, encoder.Width), scoreX, encoder.Width))
                .ToArray();
            for (var k = 0; k < scoreRows.Length; k++)
            {
                outOfFold[scoreRows[k]] = [perModel[0][k], perModel[1][k], perModel[2][k]];
            }

            Report("cross-validating", 40 + 40 * (f + 1) / options.Folds);
        }

        var calibrators = Enumerable.Range(0, ModelNames.Length)
            .Select(m => LogisticStacker.Fit([.. outOfFold.Select(s => new[] { s[m] })], trainLabels))
            .ToList();
        var (stacker, blendChoice) = ChooseBlend(outOfFold, trainLabels, folds, calibrators);

        Report("training final models", 82);
        var finals = Enum.GetValues<BaseModelKind>().Select(kind => models.Train(kind, trainX, trainLabels, positiveWeight, best.Settings, encoder.Width)).ToArray();
        var artifactWithoutExtras = new ModelArtifact(
            encoder.Columns, options.Blend, stacker, calibrators,
            models.Save(finals[0], encoder.Width), models.Save(finals[1], encoder.Width), models.Save(finals[2], encoder.Width),
            null, null, 0.5, [], [], []);
        var outOfFoldProbabilities = outOfFold.Select(s => ModelPredictor.Blend(artifactWithoutExtras, s)).ToArray();
        var threshold = ClassificationMetrics.BestAccuracyThreshold(outOfFoldProbabilities, trainLabels);

        Report("evaluating", 88);
        var holdoutScores = finals.Select(m => models.Score(m, holdoutX, encoder.Width)).ToArray();
        var holdoutBase = Enumerable.Range(0, holdout.Count).Select(i => new[] { holdoutScores[0][i], holdoutScores[1][i], holdoutScores[2][i] }).ToArray();
        var holdoutProbabilities = holdoutBase.Select(s => ModelPredictor.Blend(artifactWithoutExtras, s)).ToArray();
        var fixedProbabilities = holdoutBase.Select(s => ModelPredictor.Blend(artifactWithoutExtras with { Blend = BlendMode.Fixed }, s)).ToArray();
        var metrics = ClassificationMetrics.Compute(holdoutProbabilities, holdoutLabels, threshold);
        var foldAucs = Enumerable.Range(0, options.Folds).Select(f =>
        {
            var members = Enumerable.Range(0, train.Count).Where(i => folds[i] == f).ToArray();
            return ClassificationMetrics.AreaUnderCurve([.. members.Select(i => outOfFoldProbabilities[i])], [.. members.Select(i => trainLabels[i])]);
        }).ToArray();
        var weightTotal = stacker.Weights.Sum(Math.Abs);
        var ensemble = new EnsembleScore(
            metrics.Auc,
            options.Blend == BlendMode.Fitted
                ? ModelNames.Select((n, m) => (n, w: stacker.Weights[m] / weightTotal)).ToDictionary(p => p.n, p => Math.Round(p.w, 4))
                : ModelNames.Select((n, m) => (n, w: ModelArtifact.FixedWeights[m])).ToDictionary(p => p.n, p => p.w),
            ClassificationMetrics.AreaUnderCurve(fixedProbabilities, holdoutLabels),
            blendChoice);

        Report("secondary models", 92);
        var (regression, dealModel, timeModel) = TrainRegressions(models, labelledTable, encoder, train, holdout, labels, trainX, holdoutX, dealValue, startDate, closeDate);

        var artifact = artifactWithoutExtras with
        {
            DealSize = dealModel is null ? null : models.Save(dealModel, encoder.Width),
            TimeToClose = timeModel is null ? null : models.Save(timeModel, encoder.Width),
            Threshold = threshold,
            Schema = [.. schema.Select(s => new SchemaFeature(s.Name, s.Kind, s.Source, s.Dimension))],
            References = [.. schema.Select(s => Reference(s, [.. train.Select(i => labelledTable.Rows[i][labelledTable.IndexOf(s.Name)])]))],
            ScoreHistogram = Histogram(outOfFoldProbabilities),
            Explanations = Scoring.ExplanationModel.Capture(models, finals[0], finals[1], finals[2], trainX, encoder.Width),
        };

        var fairness = options.FairnessColumn is { } fairnessColumn
            ? Fairness(fairnessColumn, [.. holdout.Select(i => labelledTable.Rows[i][labelledTable.IndexOf(fairnessColumn)])], holdoutProbabilities, holdoutLabels, threshold)
            : null;

        Report("done", 100);
        var report = new TrainingReport(
            rows.Count,
            labels.Count(l => l),
            [.. encoder.Slots.Select(s => s.Name)],
            excluded,
            leakage,
            metrics,
            new CrossValidationReport(options.Folds, foldAucs.Average(), StandardDeviation(foldAucs)),
            new ModelsReport(
                new ModelScore(ClassificationMetrics.AreaUnderCurve(holdoutScores[0], holdoutLabels)),
                new ModelScore(ClassificationMetrics.AreaUnderCurve(holdoutScores[1], holdoutLabels)),
                new ModelScore(ClassificationMetrics.AreaUnderCurve(holdoutScores[2], holdoutLabels)),
                ensemble),
            regression,
            fairness,
            Math.Round(clock.Elapsed.TotalSeconds, 2),
            options.Label,
            positiveLabel,
            labels.Count(l => l) / (double)labels.Count,
            unlabelled,
            options.TimeColumn is null ? "stratified 80/20, seed " + options.Seed : $"latest 20% by {options.TimeColumn}",
            train.Count,
            holdout.Count,
            best.Settings,
            importance,
            schema,
            Fingerprint(table),
            Assess(metrics, labels.Count(l => l) / (double)labels.Count));
        return new TrainingResult(report, artifact);
    }

    /// <summary>
    /// The blend with the best out-of-fold AUC, unless its gain over the best single model is within two
    /// standard errors of the per-fold differences (not significant at about 97.5%, one-sided): then the
    /// simpler single model (calibrated) is used, as a gain that small does not survive new data.
    /// </summary>
    private (LogisticStacker Stacker, string Choice) ChooseBlend(double[][] outOfFold, bool[] labels, int[] folds, List<LogisticStacker> calibrators)
    {
        var blend = LogisticStacker.FitRankBlend(outOfFold, labels);
        double FoldAuc(int fold, Func<double[], double> score)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => folds[i] == fold).ToArray();
            return ClassificationMetrics.AreaUnderCurve([.. members.Select(i => score(outOfFold[i]))], [.. members.Select(i => labels[i])]);
        }

        var singleAucs = Enumerable.Range(0, ModelNames.Length)
            .Select(m => Enumerable.Range(0, options.Folds).Select(f => FoldAuc(f, s => s[m])).ToArray())
            .ToArray();
        var bestSingle = Enumerable.Range(0, ModelNames.Length).MaxBy(m => singleAucs[m].Average());
        var gains = Enumerable.Range(0, options.Folds).Select(f => FoldAuc(f, s => blend.LogOdds(s)) - singleAucs[bestSingle][f]).ToArray();
        var standardError = StandardDeviation(gains) / Math.Sqrt(gains.Length);
        if (options.Blend == BlendMode.Fitted && gains.Average() <= 2 * standardError)
        {
            return (LogisticStacker.OnlyInput(bestSingle, ModelNames.Length, calibrators[bestSingle]),
                $"{ModelNames[bestSingle]} alone: the blend's out-of-fold gain {gains.Average():0.0000} is within two standard errors (standard error {standardError:0.0000})");
        }

        return (blend, $"blend: out-of-fold gain {gains.Average():0.0000} over {ModelNames[bestSingle]} (standard error {standardError:0.0000})");
    }

    /// <summary>An honest sentence on what the model can do, for the report and the console.</summary>
    private static string Assess(ClassificationMetrics holdout, double baseRate) => holdout.Auc switch
    {
        < 0.6 => $"little signal: holdout AUC {holdout.Auc:0.000} is close to chance; the probabilities stay near the base rate {baseRate:0.000} and should be read as such",
        < 0.75 => $"weak signal: holdout AUC {holdout.Auc:0.000}; use the score to rank, not to decide alone",
        < 0.9 => $"useful signal: holdout AUC {holdout.Auc:0.000}",
        _ => $"strong signal: holdout AUC {holdout.Auc:0.000}",
    };

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

    private static List<FeatureImportance> PermutationImportance(
        BaseModels models, ITransformer model, FeatureEncoder encoder, float[][] validation, bool[] labels, double baseline)
    {
        var random = new Random(7);
        var importance = new List<FeatureImportance>();
        var offset = 0;
        foreach (var column in encoder.Columns)
        {
            var order = Enumerable.Range(0, validation.Length).OrderBy(_ => random.Next()).ToArray();
            var shuffled = validation.Select((row, i) =>
            {
                var copy = (float[])row.Clone();
                Array.Copy(validation[order[i]], offset, copy, offset, column.Width);
                return copy;
            }).ToArray();
            var auc = ClassificationMetrics.AreaUnderCurve(models.Score(model, shuffled, encoder.Width), labels);
            importance.Add(new FeatureImportance(column.Column, Math.Round(baseline - auc, 5)));
            offset += column.Width;
        }

        return [.. importance.OrderByDescending(i => i.AucDrop)];
    }

    private (RegressionReport?, ITransformer?, ITransformer?) TrainRegressions(
        BaseModels models, CsvTable table, FeatureEncoder encoder, List<int> train, List<int> holdout, List<bool> labels,
        float[][] trainX, float[][] holdoutX, string? dealValue, string? startDate, string? closeDate)
    {
        RegressionScore? dealScore = null, timeScore = null;
        ITransformer? dealModel = null, timeModel = null;
        if (dealValue is not null)
        {
            var index = table.IndexOf(dealValue);
            double? Target(int row) => labels[row] && MissingValues.TryParseNumber(table.Rows[row][index], out var v) && v > 0 ? v : null;
            (dealScore, dealModel) = Regression(models, encoder, train, holdout, trainX, holdoutX, Target);
        }

        if (startDate is not null && closeDate is not null)
        {
            var start = table.IndexOf(startDate);
            var close = table.IndexOf(closeDate);
            var startFormat = DateFormatOf(table, start);
            var closeFormat = DateFormatOf(table, close);
            double? Target(int row) =>
                startFormat is not null && closeFormat is not null
                && MissingValues.TryParseDate(table.Rows[row][start], startFormat, out var s)
                && MissingValues.TryParseDate(table.Rows[row][close], closeFormat, out var c) && c >= s
                    ? (c - s).TotalDays
                    : null;
            (timeScore, timeModel) = Regression(models, encoder, train, holdout, trainX, holdoutX, Target);
        }

        return (dealScore is null && timeScore is null ? null : new RegressionReport(dealScore, timeScore), dealModel, timeModel);
    }

    private static (RegressionScore?, ITransformer?) Regression(
        BaseModels models, FeatureEncoder encoder, List<int> train, List<int> holdout, float[][] trainX, float[][] holdoutX, Func<int, double?> target)
    {
        var fit = Enumerable.Range(0, train.Count).Where(i => target(train[i]) is not null).ToArray();
        var test = Enumerable.Range(0, holdout.Count).Where(i => target(holdout[i]) is not null).ToArray();
        if (fit.Length < TrainingOptions.MinimumRows || test.Length < TrainingOptions.MinimumPerClass)
        {
            return (null, null);
        }

        var model = models.TrainRegression([.. fit.Select(i => trainX[i])], [.. fit.Select(i => (float)target(train[i])!.Value)], encoder.Width);
        var predicted = models.Predict(model, [.. test.Select(i => holdoutX[i])], encoder.Width);
        var actual = test.Select(i => target(holdout[i])!.Value).ToArray();
        var median = fit.Select(i => target(train[i])!.Value).Order().ElementAt(fit.Length / 2);
        var mae = actual.Select((a, k) => Math.Abs(a - predicted[k])).Average();
        var baseline = actual.Average(a => Math.Abs(a - median));
        return (new RegressionScore(fit.Length, test.Length, Math.Round(mae, 3), Math.Round(baseline, 3), mae < baseline), model);
    }

    private static FairnessReport Fairness(string column, IReadOnlyList<string> cells, double[] probabilities, bool[] labels, double threshold)
    {
        var groups = cells.Select((c, i) => (Group: MissingValues.IsMissing(c) ? "(missing)" : c.Trim(), i))
            .GroupBy(p => p.Group, p => p.i, StringComparer.Ordinal)
            .Select(g =>
            {
                var members = g.ToArray();
                var positives = members.Where(i => labels[i]).ToArray();
                var negatives = members.Where(i => !labels[i]).ToArray();
                return new FairnessGroup(
                    g.Key,
                    members.Length,
                    members.Count(i => probabilities[i] >= threshold) / (double)members.Length,
                    positives.Length == 0 ? double.NaN : positives.Count(i => probabilities[i] >= threshold) / (double)positives.Length,
                    negatives.Length == 0 ? double.NaN : negatives.Count(i => probabilities[i] >= threshold) / (double)negatives.Length);
            })
            .OrderByDescending(g => g.Count)
            .ToList();
        var rates = groups.Select(g => g.PositiveRate).ToList();
        var recalls = groups.Where(g => !double.IsNaN(g.TruePositiveRate)).Select(g => g.TruePositiveRate).ToList();
        return new FairnessReport(
            column,
            [.. groups.Select(g => g with
            {
                TruePositiveRate = double.IsNaN(g.TruePositiveRate) ? 0 : g.TruePositiveRate,
                FalsePositiveRate = double.IsNaN(g.FalsePositiveRate) ? 0 : g.FalsePositiveRate,
            })],
            rates.Max() - rates.Min(),
            recalls.Count == 0 ? 0 : recalls.Max() - recalls.Min());
    }

    private static ReferenceDistribution Reference(ColumnSchema column, IReadOnlyList<string> cells)
    {
        if (column.Kind is ColumnKind.Categorical or ColumnKind.Boolean)
        {
            var shares = cells.GroupBy(c => MissingValues.IsMissing(c) ? ColumnEncoding.Missing : c.Trim(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Math.Round(g.Count() / (double)cells.Count, 6), StringComparer.Ordinal);
            return new ReferenceDistribution(column.Name, column.Kind, null, null, shares);
        }

        var encoding = ColumnEncoding.Fit(column, cells);
        var values = new double[cells.Count];
        Span<float> slots = stackalloc float[encoding.Width];
        for (var i = 0; i < cells.Count; i++)
        {
            encoding.Write(cells[i], slots);
            values[i] = slots[0];
        }

        Array.Sort(values);
        var edges = Enumerable.Range(1, 9).Select(d => values[Math.Min(values.Length - 1, d * values.Length / 10)]).Distinct().ToArray();
        var binShares = new double[edges.Length + 1];
        foreach (var value in values)
        {
            binShares[QuantileBins.BinOf(edges, value)] += 1.0 / values.Length;
        }

        return new ReferenceDistribution(column.Name, column.Kind, edges, [.. binShares.Select(s => Math.Round(s, 6))], null);
    }

    private static double[] Histogram(double[] probabilities)
    {
        var bins = new double[ClassificationMetrics.CalibrationBins];
        foreach (var p in probabilities)
        {
            bins[Math.Min(bins.Length - 1, (int)(p * bins.Length))] += 1.0 / probabilities.Length;
        }

        return [.. bins.Select(b => Math.Round(b, 6))];
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

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1));
    }

    private static string Fingerprint(CsvTable table)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var row in table.Rows.Prepend([.. table.Columns]))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', row) + '\u001e'));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private void Report(string stage, int percent) => progress?.Report(new TrainingProgress(stage, percent));
}
