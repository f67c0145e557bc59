using LeadScoring.Modeling.Statistics;

namespace LeadScoring.Modeling.Training;

/// <summary>What the report and the artifact carry besides the models: assessment, fairness, references, histogram.</summary>
public sealed partial class EnsembleTrainer
{
    /// <summary>
    /// The artifact as registered: the final models with the regressions, the threshold, the feature schema, each
    /// feature's reference distribution, the out-of-fold score histogram and what exact explanations need.
    /// </summary>
    private static ModelArtifact CompleteArtifact(
        BaseModels models, FinalModels finals, SecondaryModels secondary, LabelledRows labelled, CandidateColumns features, HoldoutSplit split, OutOfFoldScores outOfFold)
    {
        var (table, width) = (labelled.Table, outOfFold.Encoder.Width);
        return finals.Artifact with
        {
            DealSize = secondary.DealSize is null ? null : models.Save(secondary.DealSize, width),
            TimeToClose = secondary.TimeToClose is null ? null : models.Save(secondary.TimeToClose, width),
            Threshold = finals.Threshold,
            Schema = [.. features.Schema.Select(s => new SchemaFeature(s.Name, s.Kind, s.Source, s.Dimension))],
            References = [.. features.Schema.Select(s => Reference(s, [.. split.Train.Select(i => table.Rows[i][table.IndexOf(s.Name)])]))],
            ScoreHistogram = Histogram(finals.OutOfFoldProbabilities),
            Explanations = Scoring.ExplanationModel.Capture(models, finals.Models[0], finals.Models[1], finals.Models[2], outOfFold.TrainX, width),
        };
    }

    private TrainingReport WriteReport(
        CsvTable table, LabelledRows labelled, CandidateColumns features, FeatureEncoder encoder, List<LeakageWarning> leakage, List<FeatureImportance> importance,
        HoldoutSplit split, BoostingSettings boosting, HoldoutEvaluation evaluation, RegressionReport? regression, FairnessReport? fairness, TimeSpan elapsed)
    {
        var (labels, holdoutLabels, scores) = (labelled.Labels, split.HoldoutLabels, evaluation.ModelScores);
        var positives = labels.Count(l => l);
        return new TrainingReport(
            labels.Count,
            positives,
            [.. encoder.Slots.Select(s => s.Name)],
            features.Excluded,
            leakage,
            evaluation.Metrics,
            new CrossValidationReport(options.Folds, evaluation.FoldAucs.Average(), StandardDeviation(evaluation.FoldAucs)),
            new ModelsReport(
                new ModelScore(ClassificationMetrics.AreaUnderCurve(scores[0], holdoutLabels)),
                new ModelScore(ClassificationMetrics.AreaUnderCurve(scores[1], holdoutLabels)),
                new ModelScore(ClassificationMetrics.AreaUnderCurve(scores[2], holdoutLabels)),
                evaluation.Ensemble),
            regression,
            fairness,
            Math.Round(elapsed.TotalSeconds, 2),
            options.Label,
            labelled.Positive,
            positives / (double)labels.Count,
            labelled.Unlabelled,
            options.TimeColumn is null ? "stratified 80/20, seed " + options.Seed : $"latest 20% by {options.TimeColumn}",
            split.Train.Count,
            split.Holdout.Count,
            boosting,
            importance,
            features.Schema,
            Fingerprint(table),
            Assess(evaluation.Metrics, positives / (double)labels.Count),
            Delimiter: table.DelimiterName,
            Reliability: ClassificationMetrics.ReliabilityBins(evaluation.Probabilities, holdoutLabels));
    }

    /// <summary>An honest sentence on what the model can do, for the report and the console.</summary>
    private static string Assess(ClassificationMetrics holdout, double baseRate) => holdout.Auc switch
    {
        < 0.6 => $"little signal: holdout AUC {holdout.Auc:0.000} is close to chance; the probabilities stay near the base rate {baseRate:0.000} and should be read as such",
        < 0.75 => $"weak signal: holdout AUC {holdout.Auc:0.000}; use the score to rank, not to decide alone",
        < 0.9 => $"useful signal: holdout AUC {holdout.Auc:0.000}",
        _ => $"strong signal: holdout AUC {holdout.Auc:0.000}",
    };

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

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1));
    }
}
