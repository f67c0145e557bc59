namespace LeadScoring.Modeling.Training;

/// <summary>Metrics of probabilities against outcomes at one decision threshold.</summary>
public sealed record ClassificationMetrics(
    double Auc,
    double Accuracy,
    double Precision,
    double Recall,
    double F1,
    double Brier,
    double Ece,
    double Threshold)
{
    /// <summary>Number of equal-width probability bins of the expected calibration error.</summary>
    public const int CalibrationBins = 10;

    public static ClassificationMetrics Compute(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels, double threshold)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        var brier = 0.0;
        for (var i = 0; i < labels.Count; i++)
        {
            var predicted = probabilities[i] >= threshold;
            (tp, fp, tn, fn) = (predicted, labels[i]) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (true, false) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
            var error = probabilities[i] - (labels[i] ? 1 : 0);
            brier += error * error;
        }

        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        return new ClassificationMetrics(
            AreaUnderCurve(probabilities, labels),
            (double)(tp + tn) / labels.Count,
            precision,
            recall,
            precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            brier / labels.Count,
            ExpectedCalibrationError(probabilities, labels),
            threshold);
    }

    /// <summary>Area under the ROC curve: the chance that a random positive outscores a random negative (ties count half).</summary>
    public static double AreaUnderCurve(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumPositives = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]])
                {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        var negatives = scores.Count - positives;
        return positives == 0 || negatives == 0
            ? 0.5
            : (rankSumPositives - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    /// <summary>Mean gap between predicted probability and observed rate over equal-width bins, weighted by bin size.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels) =>
        ReliabilityBins(probabilities, labels).Sum(b => b.Count * Math.Abs(b.MeanPredicted - b.ObservedRate)) / labels.Count;

    /// <summary>The reliability diagram: per equal-width probability bin with predictions in it, the mean prediction and the observed rate.</summary>
    public static IReadOnlyList<ReliabilityBin> ReliabilityBins(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        var count = new int[CalibrationBins];
        var predicted = new double[CalibrationBins];
        var observed = new double[CalibrationBins];
        for (var i = 0; i < labels.Count; i++)
        {
            var bin = Math.Min(CalibrationBins - 1, (int)(probabilities[i] * CalibrationBins));
            count[bin]++;
            predicted[bin] += probabilities[i];
            observed[bin] += labels[i] ? 1 : 0;
        }

        return [.. Enumerable.Range(0, CalibrationBins).Where(b => count[b] > 0).Select(b => new ReliabilityBin(
            b / (double)CalibrationBins, (b + 1) / (double)CalibrationBins, count[b], predicted[b] / count[b], observed[b] / count[b]))];
    }

    /// <summary>The threshold with the best accuracy on these (out-of-fold) predictions.</summary>
    public static double BestAccuracyThreshold(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => probabilities[i]).ToArray();
        var negatives = labels.Count(l => !l);
        int truePositives = 0, falsePositives = 0;
        var best = (Correct: negatives, Threshold: 1.0 + 1e-9);
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]])
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
            }

            var isBoundary = k + 1 == order.Length || probabilities[order[k + 1]] < probabilities[order[k]];
            var correct = truePositives + (negatives - falsePositives);
            if (isBoundary && correct > best.Correct)
            {
                best = (correct, probabilities[order[k]]);
            }
        }

        return best.Threshold;
    }
}

/// <summary>One bin of a reliability diagram: predictions from <see cref="From"/> to <see cref="To"/>, how many, their mean and how often they came true.</summary>
public sealed record ReliabilityBin(double From, double To, int Count, double MeanPredicted, double ObservedRate);
