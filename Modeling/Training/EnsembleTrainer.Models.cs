using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>Stages 8-11, the models: out-of-fold predictions, the blend, the final models, the holdout, the regressions.</summary>
public sealed partial class EnsembleTrainer
{
    /// <summary>
    /// Stages 6 and 8: features encoded on the whole training part, and k-fold cross-validation of the three base
    /// models, whose out-of-fold raw scores the blend is fitted on.
    /// </summary>
    private OutOfFoldScores CrossValidate(
        BaseModels models, LabelledRows labelled, CandidateColumns columns, HoldoutSplit split, float positiveWeight, BoostingSettings boosting)
    {
        var encoder = FeatureEncoder.Fit(labelled.Table, split.Train, columns.Schema);
        var trainX = encoder.EncodeRows(labelled.Table, split.Train);
        var holdoutX = encoder.EncodeRows(labelled.Table, split.Holdout);
        var outOfFold = new double[split.Train.Count][];
        for (var f = 0; f < options.Folds; f++)
        {
            var fitRows = Enumerable.Range(0, split.Train.Count).Where(i => split.Folds[i] != f).ToArray();
            var scoreRows = Enumerable.Range(0, split.Train.Count).Where(i => split.Folds[i] == f).ToArray();
            var fitX = fitRows.Select(i => trainX[i]).ToArray();
            var fitY = fitRows.Select(i => split.TrainLabels[i]).ToArray();
            var scoreX = scoreRows.Select(i => trainX[i]).ToArray();
            var perModel = Enum.GetValues<BaseModelKind>()
                .Select(kind => models.Score(models.Train(kind, fitX, fitY, positiveWeight, boosting, encoder.Width), scoreX, encoder.Width))
                .ToArray();
            for (var k = 0; k < scoreRows.Length; k++)
            {
                outOfFold[scoreRows[k]] = [perModel[0][k], perModel[1][k], perModel[2][k]];
            }

            Report("cross-validating", 40 + 40 * (f + 1) / options.Folds);
        }

        return new OutOfFoldScores(encoder, trainX, holdoutX, outOfFold);
    }

    /// <summary>Stage 9: each model's own calibration, and the blend of the three (or the best one alone).</summary>
    private FittedBlend FitBlend(OutOfFoldScores outOfFold, HoldoutSplit split)
    {
        var calibrators = Enumerable.Range(0, ModelNames.Length)
            .Select(m => LogisticStacker.Fit([.. outOfFold.Scores.Select(s => new[] { s[m] })], split.TrainLabels))
            .ToList();
        var (stacker, choice) = ChooseBlend(outOfFold.Scores, split.TrainLabels, split.Folds, calibrators);
        return new FittedBlend(stacker, calibrators, choice);
    }

    /// <summary>
    /// The boosted trees of the final models. Early stopping counted the trees on the inner split, a share
    /// (folds - 1) / folds of the rows the final model learns from; with more rows the same learning rate takes
    /// proportionally more trees to the same fit.
    /// </summary>
    private BoostingSettings FinalBoosting(BoostingSettings searched) =>
        searched.Learner == BoostingLearner.LightGbm
            ? searched with { Trees = (int)Math.Ceiling(searched.Trees * options.Folds / (options.Folds - 1.0)) }
            : searched;

    /// <summary>Stage 10: the three models on the whole training part, and the threshold of best out-of-fold accuracy.</summary>
    private FinalModels TrainFinalModels(
        BaseModels models, OutOfFoldScores outOfFold, FittedBlend blend, HoldoutSplit split, float positiveWeight, BoostingSettings boosting)
    {
        var width = outOfFold.Encoder.Width;
        var finals = Enum.GetValues<BaseModelKind>().Select(kind => models.Train(kind, outOfFold.TrainX, split.TrainLabels, positiveWeight, boosting, width)).ToArray();
        var artifact = new ModelArtifact(
            outOfFold.Encoder.Columns, options.Blend, blend.Stacker, blend.Calibrators,
            models.Save(finals[0], width), models.Save(finals[1], width), models.Save(finals[2], width),
            null, null, 0.5, [], [], []);
        var probabilities = outOfFold.Scores.Select(s => ModelPredictor.Blend(artifact, s)).ToArray();
        return new FinalModels(finals, artifact, ClassificationMetrics.BestAccuracyThreshold(probabilities, split.TrainLabels), probabilities);
    }

    /// <summary>Stage 10: the final models and the blend on the holdout, and the blend's AUC per fold.</summary>
    private HoldoutEvaluation Evaluate(BaseModels models, FinalModels finals, OutOfFoldScores outOfFold, HoldoutSplit split, FittedBlend blend)
    {
        var scores = finals.Models.Select(m => models.Score(m, outOfFold.HoldoutX, outOfFold.Encoder.Width)).ToArray();
        var perLead = Enumerable.Range(0, split.Holdout.Count).Select(i => new[] { scores[0][i], scores[1][i], scores[2][i] }).ToArray();
        var probabilities = perLead.Select(s => ModelPredictor.Blend(finals.Artifact, s)).ToArray();
        var fixedProbabilities = perLead.Select(s => ModelPredictor.Blend(finals.Artifact with { Blend = BlendMode.Fixed }, s)).ToArray();
        var metrics = ClassificationMetrics.Compute(probabilities, split.HoldoutLabels, finals.Threshold);
        var foldAucs = Enumerable.Range(0, options.Folds).Select(f =>
        {
            var members = Enumerable.Range(0, split.Train.Count).Where(i => split.Folds[i] == f).ToArray();
            return ClassificationMetrics.AreaUnderCurve([.. members.Select(i => finals.OutOfFoldProbabilities[i])], [.. members.Select(i => split.TrainLabels[i])]);
        }).ToArray();
        var weightTotal = blend.Stacker.Weights.Sum(Math.Abs);
        var ensemble = new EnsembleScore(
            metrics.Auc,
            options.Blend == BlendMode.Fitted
                ? ModelNames.Select((n, m) => (n, w: blend.Stacker.Weights[m] / weightTotal)).ToDictionary(p => p.n, p => Math.Round(p.w, 4))
                : ModelNames.Select((n, m) => (n, w: ModelArtifact.FixedWeights[m])).ToDictionary(p => p.n, p => p.w),
            ClassificationMetrics.AreaUnderCurve(fixedProbabilities, split.HoldoutLabels),
            blend.Choice);
        return new HoldoutEvaluation(scores, probabilities, metrics, foldAucs, ensemble);
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

    /// <summary>Stage 11: boosted-tree regressions of won deals' value and of days to close, when the data has their columns.</summary>
    private static SecondaryModels TrainRegressions(BaseModels models, LabelledRows labelled, CandidateColumns columns, HoldoutSplit split, OutOfFoldScores encoded)
    {
        var (table, labels, train, holdout) = (labelled.Table, labelled.Labels, split.Train, split.Holdout);
        var (encoder, trainX, holdoutX) = (encoded.Encoder, encoded.TrainX, encoded.HoldoutX);
        var (dealValue, startDate, closeDate) = (columns.DealValue, columns.StartDate, columns.CloseDate);
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

        return new SecondaryModels(dealScore is null && timeScore is null ? null : new RegressionReport(dealScore, timeScore), dealModel, timeModel);
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
}
