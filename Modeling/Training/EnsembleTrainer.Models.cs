using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LeadScoring.Modeling.Statistics;
using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>The model stages: the blend choice, permutation importance, the secondary regressions.</summary>
public sealed partial class EnsembleTrainer
{
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
}
