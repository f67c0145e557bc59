using System.Globalization;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Statistics;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Drift;

/// <summary>What the reference model says about itself: its holdout accuracy and AUC, the yardstick for live performance.</summary>
public sealed record ReferencePerformance(double? Accuracy, double? Auc);

/// <summary>Judges a window's counts against the model's training reference: per-feature and score drift, performance, one level.</summary>
public static class DriftAnalysis
{
    public static DriftReport Analyze(
        ModelArtifact reference, ReferencePerformance performance, DriftCounts counts, IReadOnlyList<LabelledScore> recentOutcomes,
        DateTimeOffset windowStart, long minimumObservations, int minimumOutcomes, DriftThresholds thresholds)
    {
        var judged = counts.Observations >= minimumObservations;
        var features = new List<FeatureDrift>();
        for (var r = 0; r < reference.References.Count; r++)
        {
            var feature = reference.References[r];
            features.Add(feature.BinEdges is not null
                ? Numeric(feature.Column, feature.BinShares!, counts.Bins[r]!, judged, thresholds)
                : Categorical(feature, counts.Categories[r]!, judged, thresholds));
        }

        var score = Numeric("score", reference.ScoreHistogram, counts.ScoreBins, judged, thresholds) with { Kind = "score" };
        var drifted = features.Count(f => f.Level >= DriftLevel.Low);
        var driftedShare = features.Count == 0 ? 0 : (double)drifted / features.Count;

        var outcomes = recentOutcomes.Count;
        var realizedAuc = outcomes > 0 ? DriftStatistics.Auc([.. recentOutcomes.Select(o => (o.Probability, o.Converted))]) : double.NaN;
        var realizedAccuracy = outcomes > 0 ? recentOutcomes.Count(o => o.Probability >= reference.Threshold == o.Converted) / (double)outcomes : double.NaN;
        var expectedAccuracy = counts.Observations > 0 ? counts.ExpectedCorrect / counts.Observations : double.NaN;

        var reasons = new List<string>();
        var level = DriftLevel.None;
        foreach (var drift in features.Append(score).Where(f => f.Level > DriftLevel.None).OrderByDescending(f => f.Psi))
        {
            level = Max(level, drift.Level);
            reasons.Add($"{drift.Feature}: PSI {Format(drift.Psi)} ({drift.Level.ToString().ToLowerInvariant()})");
        }

        if (judged && features.Count > 0 && driftedShare >= thresholds.HighShareOfFeatures)
        {
            level = DriftLevel.High;
            reasons.Add($"{drifted} of {features.Count} features drifted");
        }

        if (outcomes >= minimumOutcomes && double.IsFinite(realizedAuc) && performance.Auc is { } referenceAuc
            && realizedAuc < referenceAuc - thresholds.AucDrop)
        {
            level = DriftLevel.High;
            reasons.Add($"realized AUC {Format(realizedAuc)} on the last {outcomes} outcomes, {Format(referenceAuc - realizedAuc)} below the holdout's {Format(referenceAuc)}");
        }

        return new DriftReport(
            counts.ModelVersion, windowStart, counts.Observations, level, reasons, features, score, driftedShare,
            new DriftPerformance(Finite(expectedAccuracy), performance.Accuracy, outcomes, Finite(realizedAuc), Finite(realizedAccuracy), performance.Auc),
            0, []);
    }

    public static DriftLevel LevelOf(double psi, DriftThresholds thresholds) =>
        psi >= thresholds.High ? DriftLevel.High
        : psi >= thresholds.Medium ? DriftLevel.Medium
        : psi >= thresholds.Low ? DriftLevel.Low
        : DriftLevel.None;

    /// <summary>
    /// The PSI that sampling alone reaches at <paramref name="observations"/> drawn from the reference itself, with a
    /// margin: n·PSI is about chi-square with k−1 degrees of freedom, so its mean (k−1)/n plus three standard
    /// deviations (√(2(k−1))/n). A level is called on the PSI above this, so a small early window does not raise an
    /// alert that more observations take back.
    /// </summary>
    public static double SamplingPsi(int categories, long observations) =>
        observations <= 0 || categories < 2 ? 0 : (categories - 1 + 3 * Math.Sqrt(2.0 * (categories - 1))) / observations;

    private static DriftLevel Judge(double psi, int categories, long observations, bool judged, DriftThresholds thresholds) =>
        judged ? LevelOf(psi - SamplingPsi(categories, observations), thresholds) : DriftLevel.None;

    private static FeatureDrift Numeric(string name, IReadOnlyList<double> shares, long[] live, bool judged, DriftThresholds thresholds)
    {
        var psi = DriftStatistics.Psi(shares, live);
        return new FeatureDrift(name, "numeric", psi, DriftStatistics.BinnedKs(shares, live), null, Judge(psi, shares.Count, live.Sum(), judged, thresholds));
    }

    private static FeatureDrift Categorical(ReferenceDistribution reference, Dictionary<string, long> live, bool judged, DriftThresholds thresholds)
    {
        // Values never seen in training count against a reference share of (almost) zero.
        var categories = reference.Categories!.Keys.Union(live.Keys, StringComparer.Ordinal).ToList();
        double[] shares = [.. categories.Select(c => reference.Categories.GetValueOrDefault(c))];
        long[] counts = [.. categories.Select(c => live.GetValueOrDefault(c))];
        var psi = DriftStatistics.Psi(shares, counts);
        var chiSquare = counts.Sum() > 0 && categories.Count > 1 ? DriftStatistics.ChiSquare(shares, counts).PValue : (double?)null;
        return new FeatureDrift(reference.Column, "categorical", psi, null, chiSquare, Judge(psi, categories.Count, counts.Sum(), judged, thresholds));
    }

    private static DriftLevel Max(DriftLevel a, DriftLevel b) => a > b ? a : b;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
