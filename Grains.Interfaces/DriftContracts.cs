
namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// Live distributions of one model version's inputs and scores, as counts on the model's reference bins
/// (numeric features: its decile bins; categorical: per value; scores: tenths of probability). What the
/// per-silo pre-aggregators send the workspace's drift grain, and what the drift grain accumulates.
/// </summary>
[GenerateSerializer, Alias("LeadScoring.DriftCounts")]
public sealed class DriftCounts
{
    [Id(0)] public string ModelVersion { get; set; } = "";

    /// <summary>Per reference feature, in the model's reference order: counts per bin (numeric features), else null.</summary>
    [Id(1)] public List<long[]?> Bins { get; set; } = [];

    /// <summary>Per reference feature: counts per value (categorical features), else null.</summary>
    [Id(2)] public List<Dictionary<string, long>?> Categories { get; set; } = [];

    [Id(3)] public long[] ScoreBins { get; set; } = [];

    [Id(4)] public long Observations { get; set; }

    /// <summary>Σ over observations of the probability the prediction is right (for the confidence-based accuracy estimate).</summary>
    [Id(5)] public double ExpectedCorrect { get; set; }

    /// <summary>Outcomes recorded meanwhile, with the probability the lead had then.</summary>
    [Id(6)] public List<LabelledScore> Outcomes { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("LeadScoring.LabelledScore")]
public sealed record LabelledScore(
    [property: Id(0)] double Probability,
    [property: Id(1)] bool Converted);

[GenerateSerializer, Alias("LeadScoring.DriftLevel")]
public enum DriftLevel
{
    None = 0,
    Low = 1,
    Medium = 2,
    High = 3,
}

/// <param name="Psi">Population stability index against the training reference.</param>
/// <param name="Ks">Numeric features: the Kolmogorov–Smirnov distance at the reference's decile edges.</param>
/// <param name="ChiSquarePValue">Categorical features: chi-square of live counts against the reference shares.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.FeatureDrift")]
public sealed record FeatureDrift(
    [property: Id(0)] string Feature,
    [property: Id(1)] string Kind,
    [property: Id(2)] double Psi,
    [property: Id(3)] double? Ks,
    [property: Id(4)] double? ChiSquarePValue,
    [property: Id(5)] DriftLevel Level);

/// <param name="ExpectedAccuracy">Label-free estimate from the calibrated probabilities (CBPE), against <paramref name="ReferenceAccuracy"/>.</param>
/// <param name="RealizedAuc">On the rolling window of recorded outcomes (null without both classes), against <paramref name="ReferenceAuc"/>.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.DriftPerformance")]
public sealed record DriftPerformance(
    [property: Id(0)] double? ExpectedAccuracy,
    [property: Id(1)] double? ReferenceAccuracy,
    [property: Id(2)] int RealizedOutcomes,
    [property: Id(3)] double? RealizedAuc,
    [property: Id(4)] double? RealizedAccuracy,
    [property: Id(5)] double? ReferenceAuc);

[GenerateSerializer, Immutable, Alias("LeadScoring.DriftAlert")]
public sealed record DriftAlert(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] DriftLevel Level,
    [property: Id(2)] string ModelVersion,
    [property: Id(3)] IReadOnlyList<string> Reasons);

[GenerateSerializer, Immutable, Alias("LeadScoring.DriftReport")]
public sealed record DriftReport(
    [property: Id(0)] string ReferenceModelVersion,
    [property: Id(1)] DateTimeOffset WindowStart,
    [property: Id(2)] long Observations,
    [property: Id(3)] DriftLevel Level,
    [property: Id(4)] IReadOnlyList<string> Reasons,
    [property: Id(5)] IReadOnlyList<FeatureDrift> Features,
    [property: Id(6)] FeatureDrift Score,
    [property: Id(7)] double DriftedShare,
    [property: Id(8)] DriftPerformance Performance,
    [property: Id(9)] int TotalAlerts,
    [property: Id(10)] IReadOnlyList<DriftAlert> RecentAlerts);

/// <summary>One scored lead as drift detection sees it: per reference feature of the model its encoded number (NaN when not numeric) or its category.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.DriftSample")]
public sealed record DriftSample(
    [property: Id(0)] string ModelVersion,
    [property: Id(1)] double[] Numbers,
    [property: Id(2)] string?[] Categories,
    [property: Id(3)] double Probability);
