using System.Diagnostics;
using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>Stages 5-7, choosing the features: the leakage check, the boosted-tree search and permutation importance.</summary>
public sealed partial class EnsembleTrainer
{
    private static readonly BoostingSettings[] SearchSpace =
    [
        new(300, 31, 0.05, 10),
        new(600, 15, 0.03, 20),
        new(200, 63, 0.08, 5),
        new(400, 31, 0.03, 20),
        new(1000, 7, 0.05, 30),
    ];

    /// <summary>
    /// Stage 5: each column's single-feature AUC, out of fold on the training part. Columns at the threshold or
    /// above are warned of, and left out with --exclude-leaky.
    /// </summary>
    private (List<LeakageWarning> Warnings, CandidateColumns Columns) CheckLeakage(LabelledRows labelled, CandidateColumns columns, HoldoutSplit split)
    {
        var table = labelled.Table;
        var leakage = new List<LeakageWarning>();
        foreach (var column in columns.Schema)
        {
            var index = table.IndexOf(column.Name);
            var auc = LeakageCheck.SingleFeatureAuc(column, [.. split.Train.Select(i => table.Rows[i][index])], split.TrainLabels, split.Folds);
            if (auc >= TrainingOptions.LeakageAucThreshold)
            {
                leakage.Add(new LeakageWarning(column.Name, Math.Round(auc, 4)));
            }
        }

        if (options.ExcludeLeaky)
        {
            var leaky = leakage.Select(l => l.Column).ToHashSet(StringComparer.Ordinal);
            columns = columns with
            {
                Schema = [.. columns.Schema.Where(s => !leaky.Contains(s.Name))],
                Excluded = [.. columns.Excluded, .. leakage.Select(l => new ExcludedColumn(l.Column, $"leaky: single-feature AUC {l.SingleFeatureAuc:0.000} (--exclude-leaky)"))],
            };
        }

        return columns.Schema.Count == 0 ? throw new TrainingInputException("no usable feature columns are left") : (leakage, columns);
    }

    /// <summary>
    /// Stages 6-7: features encoded on the inner training rows (all folds but the first), and the boosted-tree
    /// setting with the best AUC on the first fold, within the search budget (the first candidate always runs).
    /// </summary>
    private BoostingSearch SearchBoosting(BaseModels models, LabelledRows labelled, CandidateColumns columns, HoldoutSplit split, float positiveWeight)
    {
        var innerTrain = Enumerable.Range(0, split.Train.Count).Where(i => split.Folds[i] != 0).ToList();
        var innerValidation = Enumerable.Range(0, split.Train.Count).Where(i => split.Folds[i] == 0).ToList();
        var encoder = FeatureEncoder.Fit(labelled.Table, [.. innerTrain.Select(i => split.Train[i])], columns.Schema);
        var innerX = encoder.EncodeRows(labelled.Table, [.. innerTrain.Select(i => split.Train[i])]);
        var validationX = encoder.EncodeRows(labelled.Table, [.. innerValidation.Select(i => split.Train[i])]);
        var innerY = innerTrain.Select(i => split.TrainLabels[i]).ToArray();
        var validationY = innerValidation.Select(i => split.TrainLabels[i]).ToArray();
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

        return new BoostingSearch(best.Settings, best.Auc, best.Model!, encoder, validationX, validationY);
    }

    /// <summary>
    /// Stage 7: each column's permutation importance on the first fold; columns whose shuffling did not lower the
    /// AUC at all are dropped, never more than half of them.
    /// </summary>
    private static (List<FeatureImportance> Importance, CandidateColumns Columns) SelectFeatures(BaseModels models, BoostingSearch search, CandidateColumns columns)
    {
        var importance = PermutationImportance(models, search);
        var useless = importance.Where(i => i.AucDrop <= 0).Select(i => i.Column).Take(columns.Schema.Count / 2).ToHashSet(StringComparer.Ordinal);
        return (importance, columns with
        {
            Schema = [.. columns.Schema.Where(s => !useless.Contains(s.Name))],
            Excluded = [.. columns.Excluded, .. useless.Select(c => new ExcludedColumn(c, "no permutation importance on the validation fold"))],
        });
    }

    private static List<FeatureImportance> PermutationImportance(BaseModels models, BoostingSearch search)
    {
        var (encoder, validation) = (search.Encoder, search.ValidationX);
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
            var auc = ClassificationMetrics.AreaUnderCurve(models.Score(search.Model, shuffled, encoder.Width), search.ValidationY);
            importance.Add(new FeatureImportance(column.Column, Math.Round(search.Auc - auc, 5)));
            offset += column.Width;
        }

        return [.. importance.OrderByDescending(i => i.AucDrop)];
    }
}
