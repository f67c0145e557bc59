using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Statistics;

namespace LeadScoring.Modeling.Experiments;

/// <summary>What a variant's traffic amounts to: exposed leads, their conversions, and the deal values of the converted ones.</summary>
public sealed record VariantTally(string Variant, long Exposures, long Conversions, long Deals, double DealSum, double DealSumOfSquares)
{
    public static VariantTally Empty(string variant) => new(variant, 0, 0, 0, 0, 0);

    public double? MeanDealValue => Deals > 0 ? DealSum / Deals : null;

    /// <summary>Sample variance of the deal values (n - 1 in the denominator).</summary>
    public double DealVariance => Deals > 1 ? Math.Max(0, (DealSumOfSquares - DealSum * DealSum / Deals) / (Deals - 1)) : 0;
}

/// <summary>Turns an experiment's tallies into its report: per-variant tests against the control, SRM, sample size and a verdict.</summary>
public static class ExperimentAnalysis
{
    public const double Alpha = 0.05;
    public const double Power = 0.8;

    /// <summary>A sample ratio mismatch is flagged below this p-value (the usual threshold: false alarms are costly).</summary>
    public const double SampleRatioAlpha = 0.001;

    /// <summary>
    /// τ² of the mSPRT's normal mixing distribution on the difference of conversion rates: τ = 0.05, a prior
    /// that differences of around five percentage points are plausible. Fixed, because the always-valid
    /// guarantee holds only for a mixing distribution chosen before the data.
    /// </summary>
    public const double MixingVariance = 0.05 * 0.05;

    /// <returns>The report, and the sequential p-values at their new running minimum (to be stored).</returns>
    public static (ExperimentReport Report, IReadOnlyDictionary<string, double> SequentialPValues) Analyze(
        ExperimentRecord experiment, IReadOnlyDictionary<string, VariantTally> tallies, DateTimeOffset now)
    {
        var definition = experiment.Definition;
        var control = definition.Control;
        var controlTally = tallies.GetValueOrDefault(control.Name) ?? VariantTally.Empty(control.Name);
        var controlRate = controlTally.Exposures > 0 ? (double)controlTally.Conversions / controlTally.Exposures : 0;
        long? required = controlRate is > 0 and < 1
            ? ExperimentStatistics.SampleSizePerVariant(controlRate, definition.MinimumDetectableEffect, Alpha, Power)
            : null;

        var sequential = new Dictionary<string, double>(experiment.SequentialPValues, StringComparer.Ordinal);
        var variants = new List<VariantReport>();
        foreach (var variant in definition.Variants)
        {
            var tally = tallies.GetValueOrDefault(variant.Name) ?? VariantTally.Empty(variant.Name);
            var rate = tally.Exposures > 0 ? (double)tally.Conversions / tally.Exposures : 0;
            long? stillNeeded = required is { } n && n != long.MaxValue ? Math.Max(0, n - tally.Exposures) : null;
            if (variant == control || controlTally.Exposures == 0 || tally.Exposures == 0)
            {
                variants.Add(new VariantReport(variant.Name, variant.ModelVersion, variant.Share, tally.Exposures, tally.Conversions, rate,
                    tally.MeanDealValue, null, null, null, null, null, variant == control ? null : sequential.GetValueOrDefault(variant.Name, 1), stillNeeded));
                continue;
            }

            var comparison = ExperimentStatistics.CompareProportions(controlTally.Exposures, controlTally.Conversions, tally.Exposures, tally.Conversions);
            var deals = ExperimentStatistics.Welch(
                controlTally.Deals, controlTally.MeanDealValue ?? 0, controlTally.DealVariance, tally.Deals, tally.MeanDealValue ?? 0, tally.DealVariance);
            var ratio = ExperimentStatistics.MixtureLikelihoodRatio(controlTally.Exposures, controlTally.Conversions, tally.Exposures, tally.Conversions, MixingVariance);
            var sequentialP = Math.Min(sequential.GetValueOrDefault(variant.Name, 1), Math.Min(1, 1 / ratio));
            sequential[variant.Name] = sequentialP;
            variants.Add(new VariantReport(variant.Name, variant.ModelVersion, variant.Share, tally.Exposures, tally.Conversions, rate,
                tally.MeanDealValue, Finite(comparison.Lift), Finite(comparison.LiftLow), Finite(comparison.LiftHigh), comparison.PValue,
                controlTally.Deals > 1 && tally.Deals > 1 ? deals.PValue : null, sequentialP, stillNeeded));
        }

        var sampleRatio = ExperimentStatistics.SampleRatio(
            [.. definition.Variants.Select(v => tallies.GetValueOrDefault(v.Name)?.Exposures ?? 0)],
            [.. definition.Variants.Select(v => v.Share)]);
        var mismatch = sampleRatio.PValue < SampleRatioAlpha;
        var (verdict, winner) = Verdict(variants, control.Name, mismatch);
        return (new ExperimentReport(experiment with { SequentialPValues = sequential }, variants, sampleRatio.Statistic, sampleRatio.PValue, mismatch, verdict, winner, now),
            sequential);
    }

    /// <summary>
    /// SRM first (nothing else can be trusted then); a winner once some variant's always-valid p-value is below
    /// <see cref="Alpha"/> (the best such variant, or the control when those variants are worse); no difference
    /// once every variant has the sample size for the stated effect without that; else still running.
    /// </summary>
    private static (ExperimentVerdict, string?) Verdict(List<VariantReport> variants, string control, bool mismatch)
    {
        if (mismatch)
        {
            return (ExperimentVerdict.SampleRatioMismatch, null);
        }

        var significant = variants.Where(v => v.Name != control && v.SequentialPValue < Alpha).ToList();
        if (significant.Count > 0)
        {
            var best = significant.MaxBy(v => v.ConversionRate)!;
            var controlRate = variants.Single(v => v.Name == control).ConversionRate;
            return (ExperimentVerdict.SignificantWinner, best.ConversionRate > controlRate ? best.Name : control);
        }

        return variants.All(v => v.SampleSizeStillNeeded == 0) ? (ExperimentVerdict.NoDifference, null) : (ExperimentVerdict.Running, null);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
