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
public sealed partial class EnsembleTrainer(TrainingOptions options, IProgress<TrainingProgress>? progress = null)
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

    private void Report(string stage, int percent) => progress?.Report(new TrainingProgress(stage, percent));
}
