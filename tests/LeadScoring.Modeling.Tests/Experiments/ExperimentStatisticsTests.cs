using LeadScoring.Modeling.Statistics;

namespace LeadScoring.Modeling.Tests.Experiments;

/// <summary>
/// Against values from standard statistical tables (normal, chi-square and Student t critical values, as in
/// the NIST/SEMATECH e-Handbook of Statistical Methods, section 1.3.6.7) and worked examples computed by hand
/// from the textbook formulas, with the arithmetic in the comments.
/// </summary>
public class ExperimentStatisticsTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447461)] // Φ(1)
    [InlineData(-1.0, 0.1586552539)]
    [InlineData(1.959963985, 0.975)] // the two-sided 95% critical value
    [InlineData(3.090232306, 0.999)]
    public void Normal_distribution_matches_the_table(double z, double expected) =>
        Assert.Equal(expected, Distributions.NormalCdf(z), 9);

    [Theory]
    [InlineData(0.975, 1.959963985)]
    [InlineData(0.8, 0.841621234)]
    [InlineData(0.001, -3.090232306)]
    public void Normal_quantiles_match_the_table(double p, double expected) =>
        Assert.Equal(expected, Distributions.NormalQuantile(p), 8);

    [Theory]
    [InlineData(3.841458821, 1, 0.05)]
    [InlineData(10.82756617, 1, 0.001)]
    [InlineData(5.991464547, 2, 0.05)] // df 2: the survival function is exactly exp(-x/2)
    [InlineData(1.0, 1, 0.3173105079)]
    [InlineData(18.30703805, 10, 0.05)]
    public void Chi_square_upper_tail_matches_the_table(double x, double degreesOfFreedom, double expected) =>
        Assert.Equal(expected, Distributions.ChiSquareSurvival(x, degreesOfFreedom), 8);

    [Theory]
    [InlineData(12.70620474, 1, 0.05)]
    [InlineData(2.228138852, 10, 0.05)]
    [InlineData(2.059538553, 25, 0.05)]
    [InlineData(2.763262455, 28, 0.01)]
    public void Student_t_two_sided_p_values_match_the_table(double t, double degreesOfFreedom, double expected) =>
        Assert.Equal(expected, Distributions.StudentTTwoSided(t, degreesOfFreedom), 8);

    [Fact]
    public void Two_proportion_z_test_and_lift_interval_of_a_worked_example()
    {
        // Control 200/1000 = 0.20, variant 250/1000 = 0.25. Pooled p = 450/2000 = 0.225;
        // SE = sqrt(0.225 * 0.775 * (1/1000 + 1/1000)) = 0.0186748; z = 0.05 / 0.0186748 = 2.677398;
        // p = 2 (1 - Φ(2.677398)) = 0.0074196.
        // Lift = 0.25 / 0.20 - 1 = 0.25; SE(ln RR) = sqrt(0.8/200 + 0.75/250) = sqrt(0.007) = 0.0836660;
        // 95% interval exp(ln 1.25 ± 1.959964 × 0.0836660) - 1 = [0.060946, 0.472742].
        // Difference 0.05 ± 1.959964 × sqrt(0.16/1000 + 0.1875/1000) = 0.05 ± 0.036537.
        var result = ExperimentStatistics.CompareProportions(1000, 200, 1000, 250);
        Assert.Equal(2.677398, result.Z, 5);
        Assert.Equal(0.0074196, result.PValue, 6);
        Assert.Equal(0.25, result.Lift, 10);
        Assert.Equal(0.060946, result.LiftLow, 5);
        Assert.Equal(0.472742, result.LiftHigh, 5);
        Assert.Equal(0.05 - 0.036537, result.DifferenceLow, 5);
        Assert.Equal(0.05 + 0.036537, result.DifferenceHigh, 5);
    }

    [Fact]
    public void Welch_t_test_of_a_worked_example()
    {
        // n1 = 10, mean 20, variance 4; n2 = 12, mean 22, variance 9. a = 4/10 = 0.4, b = 9/12 = 0.75;
        // t = 2 / sqrt(1.15) = 1.865010; df = 1.15² / (0.4²/9 + 0.75²/11) = 19.190546;
        // two-sided p = 0.077546 (checked by numerical integration of the t density).
        var result = ExperimentStatistics.Welch(10, 20, 4, 12, 22, 9);
        Assert.Equal(1.865010, result.T, 5);
        Assert.Equal(19.190546, result.DegreesOfFreedom, 5);
        Assert.Equal(0.077546, result.PValue, 5);
    }

    [Fact]
    public void Sample_ratio_mismatch_is_flagged_for_a_planted_60_40_imbalance_but_not_for_noise()
    {
        // 6000/4000 against 50/50: χ² = 2 × 1000² / 5000 = 400, p ≈ 1e-88.
        var planted = ExperimentStatistics.SampleRatio([6000, 4000], [0.5, 0.5]);
        Assert.Equal(400, planted.Statistic, 9);
        Assert.True(planted.PValue < 1e-80);
        // 5050/4950: χ² = 2 × 50² / 5000 = 1, p = 0.3173.
        var noise = ExperimentStatistics.SampleRatio([5050, 4950], [0.5, 0.5]);
        Assert.Equal(1, noise.Statistic, 9);
        Assert.Equal(0.31731051, noise.PValue, 7);
    }

    [Fact]
    public void Sample_size_for_a_lift_from_20_to_25_percent()
    {
        // p1 = 0.20, p2 = 0.25 (relative lift 0.25), α = 0.05 two-sided, power 0.8, p̄ = 0.225:
        // n = (1.959964 √(2 × 0.225 × 0.775) + 0.841621 √(0.2 × 0.8 + 0.25 × 0.75))² / 0.05² = 1093.74 → 1094.
        Assert.Equal(1094, ExperimentStatistics.SampleSizePerVariant(0.20, 0.25));
        Assert.Equal(long.MaxValue, ExperimentStatistics.SampleSizePerVariant(0, 0.25));
    }

    [Fact]
    public void Mixture_sprt_of_a_worked_example_is_more_conservative_than_the_fixed_horizon_test()
    {
        // 200/1000 against 250/1000, τ² = 0.0025: V = 0.16/1000 + 0.1875/1000 = 0.0003475;
        // Λ = sqrt(V / (V + τ²)) × exp(0.05² τ² / (2 V (V + τ²))) = 0.349338 × exp(3.158146) = 8.218804; 1/Λ = 0.121672.
        var ratio = ExperimentStatistics.MixtureLikelihoodRatio(1000, 200, 1000, 250, 0.0025);
        Assert.Equal(8.218804, ratio, 5);
        Assert.True(1 / ratio > ExperimentStatistics.CompareProportions(1000, 200, 1000, 250).PValue);
        // No difference at all: the evidence is below 1, the p-value stays 1.
        Assert.True(ExperimentStatistics.MixtureLikelihoodRatio(1000, 200, 1000, 200, 0.0025) < 1);
    }
}
