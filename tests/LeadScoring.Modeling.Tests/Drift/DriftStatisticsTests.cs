using LeadScoring.Modeling.Statistics;

namespace LeadScoring.Modeling.Tests.Drift;

/// <summary>Worked examples computed by hand, with the arithmetic in the comments.</summary>
public class DriftStatisticsTests
{
    [Fact]
    public void Psi_of_a_60_40_split_against_50_50()
    {
        // (0.6 − 0.5) ln(0.6/0.5) + (0.4 − 0.5) ln(0.4/0.5) = 0.1 × 0.182322 + 0.1 × 0.223144 = 0.040547.
        Assert.Equal(0.040547, DriftStatistics.Psi([0.5, 0.5], [60, 40]), 6);
        Assert.Equal(0, DriftStatistics.Psi([0.25, 0.25, 0.5], [25, 25, 50]), 12);
        Assert.Equal(0, DriftStatistics.Psi([0.5, 0.5], [0, 0]));
    }

    [Fact]
    public void Psi_of_an_empty_bin_is_finite()
    {
        // Live share 0 is floored at 1e-4: (1e-4 − 0.5) ln(1e-4/0.5) + (1 − 0.5) ln(1/0.5) = 4.2578 + 0.3466.
        Assert.Equal(4.6043, DriftStatistics.Psi([0.5, 0.5], [0, 100]), 4);
    }

    [Fact]
    public void Binned_ks_is_the_largest_gap_between_the_cumulative_shares()
    {
        // Live cumulative 0.4, 0.7, 0.9 against reference 0.25, 0.5, 0.75: gaps 0.15, 0.2, 0.15.
        Assert.Equal(0.2, DriftStatistics.BinnedKs([0.25, 0.25, 0.25, 0.25], [40, 30, 20, 10]), 12);
        Assert.Equal(0, DriftStatistics.BinnedKs([0.25, 0.25, 0.25, 0.25], [25, 25, 25, 25]), 12);
    }

    [Fact]
    public void Auc_counts_ordered_pairs_and_half_of_the_ties()
    {
        // Positives 0.9, 0.8, 0.6; negatives 0.7, 0.4, 0.2: 3 + 3 + 2 of 9 pairs ordered correctly = 8/9.
        Assert.Equal(8.0 / 9, DriftStatistics.Auc([(0.9, true), (0.8, true), (0.7, false), (0.6, true), (0.4, false), (0.2, false)]), 12);
        Assert.Equal(0.5, DriftStatistics.Auc([(0.5, true), (0.5, false)]), 12);
        Assert.True(double.IsNaN(DriftStatistics.Auc([(0.5, true)])));
    }

    [Fact]
    public void Expected_accuracy_from_calibrated_probabilities()
    {
        // 0.9 predicted positive (right with 0.9), 0.2 negative (0.8), 0.6 positive (0.6): mean 0.766667.
        Assert.Equal(0.766667, DriftStatistics.ExpectedAccuracy([0.9, 0.2, 0.6], 0.5), 6);
    }

    [Fact]
    public void Chi_square_of_categories_against_reference_shares()
    {
        // 70/30 against 50/50 of 100: χ² = 20²/50 + 20²/50 = 16, p = 6.33e-5.
        var test = DriftStatistics.ChiSquare([0.5, 0.5], [70, 30]);
        Assert.Equal(16, test.Statistic, 9);
        Assert.Equal(6.334248e-5, test.PValue, 9);
    }
}
