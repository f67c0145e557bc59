namespace LeadScoring.Modeling.Statistics;

/// <summary>How far live data has moved from a model's training reference.</summary>
public static class DriftStatistics
{
    /// <summary>Shares below this are floored, so that an empty bin does not make the PSI infinite.</summary>
    public const double ShareFloor = 1e-4;

    /// <summary>
    /// Population stability index: Σ (live − reference) × ln(live / reference) over the bins, with shares floored
    /// at <see cref="ShareFloor"/>. 0 when the distributions agree; 0.1 is commonly read as a moderate shift
    /// and 0.25 as a major one.
    /// </summary>
    public static double Psi(IReadOnlyList<double> referenceShares, IReadOnlyList<long> liveCounts)
    {
        var total = liveCounts.Sum();
        if (total == 0)
        {
            return 0;
        }

        var psi = 0.0;
        for (var i = 0; i < referenceShares.Count; i++)
        {
            var expected = Math.Max(referenceShares[i], ShareFloor);
            var actual = Math.Max((double)liveCounts[i] / total, ShareFloor);
            psi += (actual - expected) * Math.Log(actual / expected);
        }

        return psi;
    }

    /// <summary>
    /// The two-sample Kolmogorov–Smirnov distance between the reference and the live values, evaluated at the
    /// reference's bin edges: max |F_live − F_reference| over the edges. With decile edges it is a lower bound of
    /// the exact distance, accurate to within the largest bin's share of either distribution.
    /// </summary>
    public static double BinnedKs(IReadOnlyList<double> referenceShares, IReadOnlyList<long> liveCounts)
    {
        var total = liveCounts.Sum();
        if (total == 0)
        {
            return 0;
        }

        double reference = 0, live = 0, distance = 0;
        for (var i = 0; i < referenceShares.Count - 1; i++)
        {
            reference += referenceShares[i];
            live += (double)liveCounts[i] / total;
            distance = Math.Max(distance, Math.Abs(live - reference));
        }

        return distance;
    }

    /// <summary>Pearson's chi-square of live counts against reference shares (floored as in <see cref="Psi"/>).</summary>
    public static ChiSquareTest ChiSquare(IReadOnlyList<double> referenceShares, IReadOnlyList<long> liveCounts) =>
        ExperimentStatistics.SampleRatio(liveCounts, [.. referenceShares.Select(s => Math.Max(s, ShareFloor))]);

    /// <summary>
    /// Area under the ROC curve: the probability that a random positive scores above a random negative (ties
    /// count half), by the Mann–Whitney rank sum. NaN without both classes.
    /// </summary>
    public static double Auc(IReadOnlyList<(double Probability, bool Converted)> outcomes)
    {
        var positives = outcomes.Count(o => o.Converted);
        var negatives = outcomes.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        var sorted = outcomes.OrderBy(o => o.Probability).ToList();
        double rankSum = 0;
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            var positivesTied = 0;
            while (j < sorted.Count && sorted[j].Probability == sorted[i].Probability)
            {
                positivesTied += sorted[j].Converted ? 1 : 0;
                j++;
            }

            rankSum += (i + 1 + j) / 2.0 * positivesTied; // ranks i+1 .. j share their average
            i = j;
        }

        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// Confidence-based performance estimation (as NannyML's CBPE): with calibrated probabilities, a lead
    /// predicted to convert (p ≥ threshold) is right with probability p, one predicted not to with 1 − p; the
    /// mean is the accuracy to expect without waiting for outcomes.
    /// </summary>
    public static double ExpectedAccuracy(IEnumerable<double> probabilities, double threshold)
    {
        var all = probabilities.ToList();
        return all.Count == 0 ? double.NaN : all.Average(p => ExpectedCorrectness(p, threshold));
    }

    /// <summary>One lead's share of <see cref="ExpectedAccuracy"/>: summed by the pre-aggregators, averaged by the drift grain.</summary>
    public static double ExpectedCorrectness(double probability, double threshold) =>
        probability >= threshold ? probability : 1 - probability;
}
