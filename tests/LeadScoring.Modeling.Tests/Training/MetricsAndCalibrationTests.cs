using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Training;

public class MetricsAndCalibrationTests
{
    [Fact]
    public void Auc_counts_correctly_ordered_pairs_with_ties_as_half()
    {
        // Positives 0.8, 0.4; negatives 0.4, 0.1. Pairs: (0.8>0.4) 1, (0.8>0.1) 1, (0.4=0.4) 0.5, (0.4>0.1) 1 → 3.5 / 4.
        var auc = ClassificationMetrics.AreaUnderCurve([0.8, 0.4, 0.4, 0.1], [true, true, false, false]);

        Assert.Equal(0.875, auc, 12);
    }

    [Fact]
    public void Metrics_at_a_threshold_match_a_hand_count()
    {
        double[] p = [0.9, 0.7, 0.6, 0.2, 0.05];
        bool[] y = [true, false, true, false, false];

        var m = ClassificationMetrics.Compute(p, y, threshold: 0.5);

        // Predicted positive: 0.9 (tp), 0.7 (fp), 0.6 (tp); negatives 0.2, 0.05 (tn).
        Assert.Equal(0.8, m.Accuracy, 12);
        Assert.Equal(2.0 / 3, m.Precision, 12);
        Assert.Equal(1.0, m.Recall, 12);
        Assert.Equal((0.01 + 0.49 + 0.16 + 0.04 + 0.0025) / 5, m.Brier, 12);
        // Bins: [0.0,0.1) 0.05 vs 0 → .05; [0.2,0.3) .2 vs 0 → .2; [0.6,0.7) .6 vs 1 → .4; [0.7,0.8) .7 vs 0 → .7; [0.9,1] .9 vs 1 → .1.
        Assert.Equal((0.05 + 0.2 + 0.4 + 0.7 + 0.1) / 5, m.Ece, 12);
        // 0.9 and 0.6 both give 4 of 5 right; of tied thresholds the stricter one is kept.
        Assert.Equal(0.9, ClassificationMetrics.BestAccuracyThreshold(p, y), 12);
    }

    [Fact]
    public void Calibration_fitted_on_held_out_scores_shrinks_the_error_of_a_skewed_model()
    {
        var random = new Random(3);
        var truth = Enumerable.Range(0, 6000).Select(_ => random.NextDouble() * 6 - 3).ToArray();
        var labels = truth.Select(z => random.NextDouble() < LogisticStacker.Sigmoid(z)).ToArray();
        // An overconfident, shifted model: right ranking, wrong probabilities.
        var raw = truth.Select(z => 3 * z + 1.5).ToArray();
        var fit = Enumerable.Range(0, 3000).ToArray();
        var test = Enumerable.Range(3000, 3000).ToArray();

        var calibrator = LogisticStacker.Fit([.. fit.Select(i => new[] { raw[i] })], [.. fit.Select(i => labels[i])]);
        var before = ClassificationMetrics.ExpectedCalibrationError([.. test.Select(i => LogisticStacker.Sigmoid(raw[i]))], [.. test.Select(i => labels[i])]);
        var after = ClassificationMetrics.ExpectedCalibrationError([.. test.Select(i => calibrator.Probability([raw[i]]))], [.. test.Select(i => labels[i])]);

        Assert.True(before > 0.1, $"the skewed model should be badly calibrated, ECE {before}");
        Assert.True(after < 0.03, $"calibrated ECE {after}");
        Assert.Equal(1.0 / 3, calibrator.Weights[0] / calibrator.Scales[0], 1); // recovers the 3x overconfidence
    }

    [Fact]
    public void Reliability_bins_hold_each_bin_s_mean_prediction_and_observed_rate_and_weigh_into_the_calibration_error()
    {
        // Bin 0.1-0.2: 0.12 and 0.18, one converted; bin 0.9-1.0: 0.95 and 1.0 (the top edge belongs to the last bin), both converted.
        double[] p = [0.12, 0.18, 0.95, 1.0];
        bool[] y = [true, false, true, true];

        var bins = ClassificationMetrics.ReliabilityBins(p, y);

        Assert.Equal(2, bins.Count);
        Assert.Equal(new ReliabilityBin(0.1, 0.2, 2, 0.15, 0.5), bins[0] with { MeanPredicted = Math.Round(bins[0].MeanPredicted, 12) });
        Assert.Equal(9, (int)Math.Round(bins[1].From * 10));
        Assert.Equal(2, bins[1].Count);
        Assert.Equal(0.975, bins[1].MeanPredicted, 12);
        Assert.Equal(1, bins[1].ObservedRate, 12);
        // ECE = (2 × |0.15 − 0.5| + 2 × |0.975 − 1|) / 4.
        Assert.Equal((2 * 0.35 + 2 * 0.025) / 4, ClassificationMetrics.ExpectedCalibrationError(p, y), 12);
    }
}
