using System.Diagnostics;
using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>What a training run produced: the report, the model to register, and its predictions for the holdout rows.</summary>
/// <param name="CandidateColumns">The columns the run could use as features, before it chose among them (identifiers, free text, constants, the outcome's own columns and excluded ones left out).</param>
public sealed record TrainingResult(TrainingReport Report, ModelArtifact Artifact, IReadOnlyList<HoldoutPrediction> Holdout, IReadOnlyList<ColumnSchema> CandidateColumns);

/// <summary>The trained ensemble's calibrated probability for a holdout row.</summary>
/// <param name="Row">The row's index among the data rows of the table trained on (0: the first row after the header).</param>
public sealed record HoldoutPrediction(int Row, bool Converted, double Probability);

/// <summary>
/// Trains the scoring ensemble on a table, one stage after the other as docs/training.md lists them: labels,
/// columns, holdout split, leakage check, boosted-tree search, feature selection, out-of-fold predictions, blend,
/// final models, holdout evaluation, secondary regressions and the report. Each stage is a method that takes
/// what the stages before it produced and returns its own result.
/// </summary>
public sealed partial class EnsembleTrainer(TrainingOptions options, IProgress<TrainingProgress>? progress = null)
{
    private static readonly string[] ModelNames = ["random_forest", "gradient_boosting", "logistic_regression"];

    public TrainingResult Train(CsvTable table)
    {
        var clock = Stopwatch.StartNew();
        Report("reading data", 0);
        var labelled = ResolveLabels(table);
        var columns = ChooseColumns(table, labelled);
        Report("splitting", 5);
        var split = SplitHoldout(labelled);
        Report("checking leakage", 10);
        var (leakage, unleaked) = CheckLeakage(labelled, columns, split);

        var models = new BaseModels(options.Seed);
        var positiveWeight = (float)Math.Clamp(split.TrainLabels.Count(l => !l) / (double)split.TrainLabels.Count(l => l), 1, 10);
        Report("searching hyperparameters", 15);
        var search = SearchBoosting(models, labelled, unleaked, split, positiveWeight);
        Report("ranking features", 30);
        var (importance, features) = SelectFeatures(models, search, unleaked);
        Report("cross-validating", 40);
        var outOfFold = CrossValidate(models, labelled, features, split, positiveWeight, search.Settings);
        var blend = FitBlend(outOfFold, split);
        Report("training final models", 82);
        var finals = TrainFinalModels(models, outOfFold, blend, split, positiveWeight, FinalBoosting(search.Settings));
        Report("evaluating", 88);
        var evaluation = Evaluate(models, finals, outOfFold, split, blend);
        Report("secondary models", 92);
        var secondary = TrainRegressions(models, labelled, columns, split, outOfFold);

        var artifact = CompleteArtifact(models, finals, secondary, labelled, features, split, outOfFold);
        var fairness = options.FairnessColumn is { } fairnessColumn
            ? Fairness(fairnessColumn, [.. split.Holdout.Select(i => labelled.Table.Rows[i][labelled.Table.IndexOf(fairnessColumn)])],
                evaluation.Probabilities, split.HoldoutLabels, finals.Threshold)
            : null;
        Report("done", 100);
        var report = WriteReport(table, labelled, features, outOfFold.Encoder, leakage, importance, split, FinalBoosting(search.Settings), evaluation, secondary.Report, fairness, clock.Elapsed);
        var holdout = split.Holdout.Select((row, i) => new HoldoutPrediction(labelled.SourceRows[row], split.HoldoutLabels[i], evaluation.Probabilities[i])).ToList();
        return new TrainingResult(report, artifact, holdout, unleaked.Schema);
    }

    private void Report(string stage, int percent) => progress?.Report(new TrainingProgress(stage, percent));

    /// <summary>Stages 1-2: the rows that have a label, as a table of their own, their labels, the positive label's text and each row's index in the input.</summary>
    private sealed record LabelledRows(CsvTable Table, List<bool> Labels, string Positive, int Unlabelled, List<int> SourceRows);

    /// <summary>Stage 3: the feature columns with their types, the columns left out and why, and the regression targets found.</summary>
    private sealed record CandidateColumns(List<ColumnSchema> Schema, List<ExcludedColumn> Excluded, string? DealValue, string? StartDate, string? CloseDate);

    /// <summary>Stage 4: row indices of the training part and the holdout, their labels, and each training row's fold.</summary>
    private sealed record HoldoutSplit(List<int> Train, List<int> Holdout, bool[] TrainLabels, bool[] HoldoutLabels, int[] Folds);

    /// <summary>Stage 7: the best boosted-tree setting on the inner split, with what permutation importance needs.</summary>
    private sealed record BoostingSearch(BoostingSettings Settings, double Auc, ITransformer Model, FeatureEncoder Encoder, float[][] ValidationX, bool[] ValidationY);

    /// <summary>Stage 8: the final encoding of the training part and the holdout, and each training row's out-of-fold raw scores.</summary>
    private sealed record OutOfFoldScores(FeatureEncoder Encoder, float[][] TrainX, float[][] HoldoutX, double[][] Scores);

    /// <summary>Stage 9: the fitted blend (or a single calibrated model), each model's own calibration, and why.</summary>
    private sealed record FittedBlend(LogisticStacker Stacker, List<LogisticStacker> Calibrators, string Choice);

    /// <summary>Stage 10: the three models trained on the whole training part, as an artifact, and the decision threshold.</summary>
    private sealed record FinalModels(ITransformer[] Models, ModelArtifact Artifact, double Threshold, double[] OutOfFoldProbabilities);

    /// <summary>Stage 10: the holdout's scores and metrics, the per-fold AUCs and the ensemble's own figures.</summary>
    private sealed record HoldoutEvaluation(double[][] ModelScores, double[] Probabilities, ClassificationMetrics Metrics, double[] FoldAucs, EnsembleScore Ensemble);

    /// <summary>Stage 11: deal size and days to close, when the data has their columns.</summary>
    private sealed record SecondaryModels(RegressionReport? Report, ITransformer? DealSize, ITransformer? TimeToClose);
}
