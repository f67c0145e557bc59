namespace LeadScoring.Modeling.Training;

/// <summary>
/// How well one column alone separates the classes, measured out of fold: numbers, booleans and dates by
/// their own order, categories by their positive rate learned on the other folds. A column filled in after
/// the outcome (a status, a sales rep's judgement) shows up as an AUC near 1.
/// </summary>
public static class LeakageCheck
{
    public static double SingleFeatureAuc(ColumnSchema column, IReadOnlyList<string> cells, IReadOnlyList<bool> labels, int[] folds)
    {
        double[] score;
        if (column.Kind == ColumnKind.Categorical)
        {
            score = OutOfFoldTargetRate(cells, labels, folds);
        }
        else
        {
            var encoding = ColumnEncoding.Fit(column, cells);
            Span<float> slots = stackalloc float[encoding.Width];
            score = new double[cells.Count];
            for (var i = 0; i < cells.Count; i++)
            {
                encoding.Write(cells[i], slots);
                // Missing values sort below every present one, so "was it filled in" counts too.
                score[i] = encoding.MissingIndicator && slots[1] == 1 ? double.NegativeInfinity : slots[0];
            }
        }

        var auc = ClassificationMetrics.AreaUnderCurve(score, labels);
        return Math.Max(auc, 1 - auc);
    }

    private static double[] OutOfFoldTargetRate(IReadOnlyList<string> cells, IReadOnlyList<bool> labels, int[] folds)
    {
        var keys = cells.Select(c => MissingValues.IsMissing(c) ? ColumnEncoding.Missing : c.Trim()).ToArray();
        var foldCount = folds.Max() + 1;
        var prior = labels.Count(l => l) / (double)labels.Count;
        var score = new double[cells.Count];
        for (var f = 0; f < foldCount; f++)
        {
            var stats = new Dictionary<string, (int Positives, int Count)>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Length; i++)
            {
                if (folds[i] != f)
                {
                    var (p, n) = stats.GetValueOrDefault(keys[i]);
                    stats[keys[i]] = (p + (labels[i] ? 1 : 0), n + 1);
                }
            }

            for (var i = 0; i < keys.Length; i++)
            {
                if (folds[i] == f)
                {
                    var (p, n) = stats.GetValueOrDefault(keys[i]);
                    score[i] = (p + prior) / (n + 1.0); // one pseudo-observation at the base rate
                }
            }
        }

        return score;
    }
}
