using System.Diagnostics;
using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>Stages 5-7, choosing the features: the leakage check, the boosted-tree search and permutation importance.</summary>
public sealed partial class EnsembleTrainer
{
    /// <summary>
    /// The boosted-tree settings the search tries: LightGBM and FastTree, each with small to large trees. LightGBM's
    /// tree counts are ceilings: it stops growing trees once the validation loss has not improved for
    /// <see cref="EarlyStoppingRounds"/> rounds, so the count fits the data instead of being fixed.
    /// </summary>
    private static readonly BoostingSettings[] SearchSpace =
    [
        new(2000, 31, 0.05, 20, BoostingLearner.LightGbm),
        new(600, 15, 0.03, 20, BoostingLearner.FastTree),
        new(2000, 15, 0.05, 20, BoostingLearner.LightGbm),
        new(300, 31, 0.05, 10, BoostingLearner.FastTree),
        new(2000, 63, 0.05, 40, BoostingLearner.LightGbm),
        new(200, 63, 0.08, 5, BoostingLearner.FastTree),
        new(2000, 7, 0.1, 50, BoostingLearner.LightGbm),
        new(1000, 7, 0.05, 30, BoostingLearner.FastTree),
    ];

    private const int EarlyStoppingRounds = 40;

    /// <summary>The search's first round trains every candidate on this share of the inner training rows.</summary>
    private const double FirstRungShare = 0.25;

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
    /// setting with the best AUC on the first fold, by successive halving: every candidate is trained on a quarter
    /// of the inner rows, the better half goes on with twice the rows, and so on until one remains or the rows are
    /// all used, each candidate stopping early on the first fold's loss. The search stops early when its budget
    /// (<see cref="SearchBudget"/>) is spent; the first round always completes for its first candidate.
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
        // Nested subsets: each round's rows include the previous round's.
        var order = Enumerable.Range(0, innerX.Length).ToArray();
        new Random(options.Seed).Shuffle(order);

        var budget = SearchBudget(innerX.Length, columns.Schema.Count);
        var clock = Stopwatch.StartNew();
        IReadOnlyList<BoostingSettings> candidates = BaseModels.LightGbmAvailable ? SearchSpace : [.. SearchSpace.Where(c => c.Learner == BoostingLearner.FastTree)];
        var share = FirstRungShare;
        var results = new List<SearchResult>();
        while (true)
        {
            var rows = share >= 1 ? order : order[..Math.Min(order.Length, Math.Max(500, (int)(share * order.Length)))];
            var x = rows.Select(i => innerX[i]).ToArray();
            var y = rows.Select(i => innerY[i]).ToArray();
            var round = new List<SearchResult>();
            foreach (var candidate in candidates)
            {
                if (round.Count + results.Count > 0 && clock.Elapsed > budget)
                {
                    break;
                }

                var (model, trees) = models.TrainBoosted(x, y, validationX, validationY, positiveWeight, candidate, encoder.Width, EarlyStoppingRounds);
                round.Add(new(candidate, candidate with { Trees = trees }, ClassificationMetrics.AreaUnderCurve(models.Score(model, validationX, encoder.Width), validationY), model));
            }

            // A round cut short by the budget does not replace the one before it: those were compared on the same rows.
            if (round.Count > 0 && (results.Count == 0 || round.Count == candidates.Count))
            {
                results = round;
            }

            if (clock.Elapsed > budget || share >= 1 || results.Count == 1)
            {
                break;
            }

            candidates = [.. results.OrderByDescending(r => r.Auc).Take(Math.Max(1, results.Count / 2)).Select(r => r.Candidate)];
            share = Math.Min(1, share * 2);
        }

        var best = results.MaxBy(r => r.Auc)!;
        return new BoostingSearch(best.Settings, best.Auc, best.Model, encoder, validationX, validationY);
    }

    /// <summary>A candidate of the search, the settings it ended with (its trees once stopped early), and how it did on the first fold.</summary>
    private sealed record SearchResult(BoostingSettings Candidate, BoostingSettings Settings, double Auc, ITransformer Model);

    /// <summary>
    /// The search's time: the configured budget for a data set of about 150,000 cells (rows × columns), scaled with
    /// the square root of its size between half and one and a half times that, so small exports finish quickly
    /// and large ones get past their first candidates.
    /// </summary>
    private TimeSpan SearchBudget(int rows, int columns) =>
        options.SearchBudget * Math.Clamp(Math.Sqrt(rows * (double)columns / 150_000), 0.5, 1.5);

    /// <summary>
    /// Stage 7: each column's permutation importance on the first fold (the mean AUC drop of three shuffles);
    /// columns whose shuffling did not lower the AUC at all are dropped, never more than half of them, and none when
    /// the fold holds fewer than <see cref="MinimumPerClassToSelect"/> leads of either class: on so few the drops are
    /// noise, and dropping on noise cost real columns.
    /// </summary>
    private static (List<FeatureImportance> Importance, CandidateColumns Columns) SelectFeatures(BaseModels models, BoostingSearch search, CandidateColumns columns)
    {
        var importance = PermutationImportance(models, search);
        var positives = search.ValidationY.Count(y => y);
        if (Math.Min(positives, search.ValidationY.Length - positives) < MinimumPerClassToSelect)
        {
            return (importance, columns);
        }

        var useless = importance.Where(i => i.AucDrop <= 0).Select(i => i.Column).Take(columns.Schema.Count / 2).ToHashSet(StringComparer.Ordinal);
        return (importance, columns with
        {
            Schema = [.. columns.Schema.Where(s => !useless.Contains(s.Name))],
            Excluded = [.. columns.Excluded, .. useless.Select(c => new ExcludedColumn(c, "no permutation importance on the validation fold"))],
        });
    }

    private const int MinimumPerClassToSelect = 50;

    /// <summary>Shuffles per column whose AUC drops are averaged: one shuffle of a small fold is too noisy to drop a column on.</summary>
    private const int PermutationRepeats = 3;

    private static List<FeatureImportance> PermutationImportance(BaseModels models, BoostingSearch search)
    {
        var (encoder, validation) = (search.Encoder, search.ValidationX);
        var random = new Random(7);
        var importance = new List<FeatureImportance>();
        var offset = 0;
        foreach (var column in encoder.Columns)
        {
            var drop = 0.0;
            for (var repeat = 0; repeat < PermutationRepeats; repeat++)
            {
                var order = Enumerable.Range(0, validation.Length).OrderBy(_ => random.Next()).ToArray();
                var shuffled = validation.Select((row, i) =>
                {
                    var copy = (float[])row.Clone();
                    Array.Copy(validation[order[i]], offset, copy, offset, column.Width);
                    return copy;
                }).ToArray();
                drop += search.Auc - ClassificationMetrics.AreaUnderCurve(models.Score(search.Model, shuffled, encoder.Width), search.ValidationY);
            }

            importance.Add(new FeatureImportance(column.Column, Math.Round(drop / PermutationRepeats, 5)));
            offset += column.Width;
        }

        return [.. importance.OrderByDescending(i => i.AucDrop)];
    }
}
