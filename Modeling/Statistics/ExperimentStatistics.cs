namespace LeadScoring.Modeling.Statistics;

/// <summary>Two conversion rates compared: the variant's against the control's.</summary>
/// <param name="Lift">Relative lift, variant rate / control rate - 1 (NaN while the control has no conversion).</param>
/// <param name="LiftLow">Lower end of the lift's confidence interval (delta method on the log rate ratio).</param>
/// <param name="PValue">Two-sided p-value of the pooled two-proportion z-test.</param>
public sealed record ProportionComparison(
    double ControlRate, double VariantRate, double Difference, double DifferenceLow, double DifferenceHigh,
    double Lift, double LiftLow, double LiftHigh, double Z, double PValue);

/// <summary>Welch's unequal-variances t-test: statistic, Welch–Satterthwaite degrees of freedom, two-sided p-value.</summary>
public sealed record WelchTest(double MeanDifference, double T, double DegreesOfFreedom, double PValue);

/// <summary>Pearson's chi-square goodness of fit of observed counts to expected shares.</summary>
public sealed record ChiSquareTest(double Statistic, int DegreesOfFreedom, double PValue);

/// <summary>The fixed-horizon and sequential tests an A/B test of scoring models reports.</summary>
public static class ExperimentStatistics
{
    public static ProportionComparison CompareProportions(long controlN, long controlConversions, long variantN, long variantConversions, double confidence = 0.95)
    {
        var z = Distributions.NormalQuantile(1 - (1 - confidence) / 2);
        var p1 = Rate(controlConversions, controlN);
        var p2 = Rate(variantConversions, variantN);
        var difference = p2 - p1;
        var unpooled = Math.Sqrt(p1 * (1 - p1) / controlN + p2 * (1 - p2) / variantN);

        var pooled = Rate(controlConversions + variantConversions, controlN + variantN);
        var pooledError = Math.Sqrt(pooled * (1 - pooled) * (1.0 / controlN + 1.0 / variantN));
        var statistic = pooledError > 0 ? difference / pooledError : 0;
        var pValue = pooledError > 0 ? 2 * (1 - Distributions.NormalCdf(Math.Abs(statistic))) : 1;

        double lift = double.NaN, liftLow = double.NaN, liftHigh = double.NaN;
        if (controlConversions > 0 && variantConversions > 0)
        {
            lift = p2 / p1 - 1;
            var logError = Math.Sqrt((1 - p1) / (controlN * p1) + (1 - p2) / (variantN * p2));
            liftLow = Math.Exp(Math.Log(p2 / p1) - z * logError) - 1;
            liftHigh = Math.Exp(Math.Log(p2 / p1) + z * logError) - 1;
        }
        else if (controlConversions > 0)
        {
            lift = -1;
        }

        return new ProportionComparison(p1, p2, difference, difference - z * unpooled, difference + z * unpooled, lift, liftLow, liftHigh, statistic, pValue);
    }

    public static WelchTest Welch(long n1, double mean1, double variance1, long n2, double mean2, double variance2)
    {
        var a = variance1 / n1;
        var b = variance2 / n2;
        var error = Math.Sqrt(a + b);
        if (n1 < 2 || n2 < 2 || error == 0)
        {
            return new WelchTest(mean2 - mean1, 0, 0, 1);
        }

        var t = (mean2 - mean1) / error;
        var degreesOfFreedom = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
        return new WelchTest(mean2 - mean1, t, degreesOfFreedom, Distributions.StudentTTwoSided(t, degreesOfFreedom));
    }

    /// <summary>Sample ratio mismatch: do the variants' sizes fit the configured split?</summary>
    public static ChiSquareTest SampleRatio(IReadOnlyList<long> observed, IReadOnlyList<double> expectedShares)
    {
        var total = observed.Sum();
        if (total == 0)
        {
            return new ChiSquareTest(0, observed.Count - 1, 1);
        }

        var statistic = observed.Select((count, i) =>
        {
            var expected = total * expectedShares[i];
            return (count - expected) * (count - expected) / expected;
        }).Sum();
        return new ChiSquareTest(statistic, observed.Count - 1, Distributions.ChiSquareSurvival(statistic, observed.Count - 1));
    }

    /// <summary>
    /// Leads needed per variant for a two-sided two-proportion z-test at <paramref name="alpha"/> to detect a
    /// relative lift of <paramref name="relativeEffect"/> over <paramref name="baselineRate"/> with
    /// <paramref name="power"/> (the normal-approximation formula without continuity correction).
    /// </summary>
    public static long SampleSizePerVariant(double baselineRate, double relativeEffect, double alpha = 0.05, double power = 0.8)
    {
        var p1 = baselineRate;
        var p2 = Math.Min(1, baselineRate * (1 + relativeEffect));
        if (p1 is <= 0 or >= 1 || p2 == p1)
        {
            return long.MaxValue;
        }

        var mean = (p1 + p2) / 2;
        var numerator = Distributions.NormalQuantile(1 - alpha / 2) * Math.Sqrt(2 * mean * (1 - mean))
            + Distributions.NormalQuantile(power) * Math.Sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        return (long)Math.Ceiling(numerator * numerator / ((p2 - p1) * (p2 - p1)));
    }

    /// <summary>
    /// The mixture sequential probability ratio Λ of "the rates differ" against "they are equal", with a normal
    /// mixing distribution N(0, τ²) on the difference and the normal approximation of the difference's
    /// estimate (Johari, Koomen, Pekelis and Walsh, "Peeking at A/B tests", KDD 2017). 1/Λ, kept at its running
    /// minimum, is a p-value valid at any time it is read.
    /// </summary>
    public static double MixtureLikelihoodRatio(long controlN, long controlConversions, long variantN, long variantConversions, double mixingVariance)
    {
        if (controlN == 0 || variantN == 0)
        {
            return 1;
        }

        var p1 = Rate(controlConversions, controlN);
        var p2 = Rate(variantConversions, variantN);
        var variance = p1 * (1 - p1) / controlN + p2 * (1 - p2) / variantN;
        if (variance <= 0)
        {
            return 1;
        }

        var difference = p2 - p1;
        return Math.Sqrt(variance / (variance + mixingVariance))
            * Math.Exp(difference * difference * mixingVariance / (2 * variance * (variance + mixingVariance)));
    }

    private static double Rate(long conversions, long n) => n == 0 ? 0 : (double)conversions / n;
}
