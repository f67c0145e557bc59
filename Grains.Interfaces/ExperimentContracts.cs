namespace LeadScoring.Grains.Interfaces;

/// <summary>One arm of an A/B test: its name, the share of leads routed to it and the model version it scores with.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ExperimentVariant")]
public sealed record ExperimentVariant(
    [property: Id(0)] string Name,
    [property: Id(1)] double Share,
    [property: Id(2)] string ModelVersion);

/// <summary>
/// An A/B test of scoring models. The first variant named "control" (else the first listed) is the control.
/// <see cref="MinimumDetectableEffect"/> is a relative lift of the conversion rate (0.1 = +10%).
/// </summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ExperimentDefinition")]
public sealed record ExperimentDefinition(
    [property: Id(0)] string ExperimentId,
    [property: Id(1)] IReadOnlyList<ExperimentVariant> Variants,
    [property: Id(2)] string Hypothesis,
    [property: Id(3)] string PrimaryMetric,
    [property: Id(4)] double MinimumDetectableEffect)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public ExperimentVariant Control => Variants.FirstOrDefault(v => v.Name == "control") ?? Variants[0];
}

[GenerateSerializer, Alias("LeadScoring.ExperimentState")]
public enum ExperimentStatus
{
    Running = 0,
    Stopped = 1,
}

/// <summary>An experiment as stored: its definition and where it stands.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ExperimentRecord")]
public sealed record ExperimentRecord(
    [property: Id(0)] ExperimentDefinition Definition,
    [property: Id(1)] ExperimentStatus Status,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? StoppedAt,
    [property: Id(4)] string? PromotedVariant,
    [property: Id(5)] IReadOnlyDictionary<string, double> SequentialPValues);

[GenerateSerializer, Alias("LeadScoring.ExperimentVerdict")]
public enum ExperimentVerdict
{
    Running = 0,
    SignificantWinner = 1,
    NoDifference = 2,
    SampleRatioMismatch = 3,
}

/// <summary>A variant's tallies and, for variants other than the control, how they compare with it.</summary>
/// <param name="Lift">Relative lift of the conversion rate over the control's; null for the control or while undefined.</param>
/// <param name="PValue">Two-sided p-value of the two-proportion z-test against the control.</param>
/// <param name="DealValuePValue">Welch t-test p-value on the deal values of converted leads.</param>
/// <param name="SequentialPValue">Always-valid (mSPRT) p-value against the control, at its running minimum.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.VariantReport")]
public sealed record VariantReport(
    [property: Id(0)] string Name,
    [property: Id(1)] string ModelVersion,
    [property: Id(2)] double Share,
    [property: Id(3)] long N,
    [property: Id(4)] long Conversions,
    [property: Id(5)] double ConversionRate,
    [property: Id(6)] double? MeanDealValue,
    [property: Id(7)] double? Lift,
    [property: Id(8)] double? LiftLow,
    [property: Id(9)] double? LiftHigh,
    [property: Id(10)] double? PValue,
    [property: Id(11)] double? DealValuePValue,
    [property: Id(12)] double? SequentialPValue,
    [property: Id(13)] long? SampleSizeStillNeeded);

[GenerateSerializer, Immutable, Alias("LeadScoring.ExperimentReport")]
public sealed record ExperimentReport(
    [property: Id(0)] ExperimentRecord Experiment,
    [property: Id(1)] IReadOnlyList<VariantReport> Variants,
    [property: Id(2)] double SampleRatioChiSquare,
    [property: Id(3)] double SampleRatioPValue,
    [property: Id(4)] bool SampleRatioMismatch,
    [property: Id(5)] ExperimentVerdict Verdict,
    [property: Id(6)] string? Winner,
    [property: Id(7)] DateTimeOffset ComputedAt);

[GenerateSerializer, Immutable, Alias("LeadScoring.ExperimentCommandResult")]
public sealed record ExperimentCommandResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] ExperimentRecord? Experiment,
    [property: Id(2)] IReadOnlyList<ValidationError> Errors);
