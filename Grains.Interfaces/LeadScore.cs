namespace LeadScoring.Grains.Interfaces;

/// <summary>How a score request ended. Values are persisted in results only: append only.</summary>
[GenerateSerializer, Alias("LeadScoring.ScoreStatus")]
public enum ScoreStatus
{
    Ok = 0,
    NotFound = 1,

    /// <summary>The lead withdrew profiling consent: it is not scored.</summary>
    NoConsent = 2,

    /// <summary>The workspace has no champion model yet.</summary>
    NoModel = 3,

    /// <summary>The request named an experiment the workspace does not have.</summary>
    ExperimentNotFound = 4,

    /// <summary>In a batch: the lead's silo or the database could not be reached now; the lead may be asked again.</summary>
    Unavailable = 5,
}

/// <summary>What made a lead compute a new score.</summary>
[GenerateSerializer, Alias("LeadScoring.ScoreTrigger")]
public enum ScoreTrigger
{
    /// <summary>First score of this activation (after a restart or a long idle period).</summary>
    Activation = 0,
    Activity = 1,
    Attributes = 2,

    /// <summary>The workspace's champion model changed.</summary>
    ModelChanged = 3,

    /// <summary>Time passed: the time-based features moved into a new hour.</summary>
    Time = 4,
}

[GenerateSerializer, Alias("LeadScoring.ScoreTrend")]
public enum ScoreTrend
{
    Steady = 0,
    Improving = 1,
    Declining = 2,
}

/// <summary>One feature's part in the score, in log-odds (positive raises the conversion probability).</summary>
/// <remarks>Kept small: a million leads each cache ten of these.</remarks>
[GenerateSerializer, Immutable, Alias("LeadScoring.ScoreFactor")]
public sealed record ScoreFactor(
    [property: Id(0)] string Feature,
    [property: Id(1)] string? Value,
    [property: Id(2)] double Impact,
    [property: Id(3)] FeatureDimension Dimension)
{
    public string Description => $"{Feature} = {DisplayValue} {(Impact >= 0 ? "raises" : "lowers")} the conversion odds";

    // Numbers are shown to two decimals. Most values (counts, flags, categories) need no parsing for that, which
    // matters because every score response describes ten factors.
    private string DisplayValue =>
        string.IsNullOrWhiteSpace(Value) ? "unknown"
        : HasAtMostTwoDecimals(Value) || !LooksNumeric(Value) ? Value
        : double.TryParse(Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)
            : Value;

    private static bool LooksNumeric(string text) => text[0] is '-' or '+' or '.' || char.IsAsciiDigit(text[0]);

    /// <summary>"-12", "3.5", "0.25": an optional minus, digits (no leading zero), then at most two decimals.</summary>
    private static bool HasAtMostTwoDecimals(string text)
    {
        var digits = text.AsSpan(text[0] == '-' ? 1 : 0);
        var point = digits.IndexOf('.');
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? [] : digits[(point + 1)..];
        return whole.Length > 0 && !whole.ContainsAnyExceptInRange('0', '9') && (whole.Length == 1 || whole[0] != '0')
            && (point < 0 || (fraction.Length is 1 or 2 && !fraction.ContainsAnyExceptInRange('0', '9')));
    }
}

/// <summary>What a salesperson should do next, derived from the lead's own activity.</summary>
/// <param name="OptimalContactTime">The weekday and hour (UTC) the lead is most often active, e.g. "Tuesday 14:00 UTC".</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.ScoreRecommendations")]
public sealed record ScoreRecommendations(
    [property: Id(0)] string NextBestAction,
    [property: Id(1)] string? OptimalContactTime,
    [property: Id(2)] string? BestChannel,
    [property: Id(3)] IReadOnlyList<string> Content);

/// <summary>One feature's exact Shapley value in the ensemble's log-odds.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.FeatureContribution")]
public sealed record FeatureContribution(
    [property: Id(0)] string Feature,
    [property: Id(1)] string? Value,
    [property: Id(2)] double Contribution,
    [property: Id(3)] FeatureDimension Dimension);

/// <summary>base_value + Σ contributions = output_value, in the calibrated model's log-odds.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ScoreExplanation")]
public sealed record ScoreExplanation(
    [property: Id(0)] double BaseValue,
    [property: Id(1)] double OutputValue,
    [property: Id(2)] IReadOnlyList<FeatureContribution> Contributions);

/// <summary>The six dimension scores, 0-100 (50 is neutral); null when the model has no feature of the dimension.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.DimensionScores")]
public sealed record DimensionScores(
    [property: Id(0)] double? Behavioral,
    [property: Id(1)] double? Engagement,
    [property: Id(2)] double? Demographic,
    [property: Id(3)] double? Temporal,
    [property: Id(4)] double? Interaction,
    [property: Id(5)] double? Quality);

/// <summary>A lead's score with its reasons. See docs/scoring.md for every definition.</summary>
/// <param name="MissingFeatures">
/// The model's columns the lead had no value for, in the model's order: what the model filled in for it. A column
/// a model was trained on and live leads never carry shows here on every score (training–serving skew).
/// </param>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadScore")]
public sealed record LeadScore(
    [property: Id(0)] string LeadId,
    [property: Id(1)] double OverallScore,
    [property: Id(2)] double ConversionProbability,
    [property: Id(3)] double Confidence,
    [property: Id(4)] string Grade,
    [property: Id(5)] DimensionScores Dimensions,
    [property: Id(6)] IReadOnlyList<ScoreFactor> KeyFactors,
    [property: Id(7)] IReadOnlyList<ScoreFactor> RiskFactors,
    [property: Id(8)] IReadOnlyList<string> Opportunities,
    [property: Id(9)] ScoreRecommendations Recommendations,
    [property: Id(10)] double? PredictedDealSize,
    [property: Id(11)] double? PredictedDaysToClose,
    [property: Id(12)] double GoingColdRisk,
    [property: Id(13)] ScoreTrend Trend,
    [property: Id(14)] string ModelVersion,
    [property: Id(15)] DateTimeOffset ScoredAt,
    [property: Id(16)] ScoreTrigger Trigger,
    [property: Id(17)] ScoreExplanation? Explanation,
    [property: Id(18)] IReadOnlyList<string>? MissingFeatures = null);

/// <param name="CacheHit">True when the lead served the score it already had (nothing changed since).</param>
/// <param name="ExperimentVariant">The variant that scored the lead, when scored in a running experiment.</param>
/// <param name="Unchanged">
/// True when the caller already holds the lead's score (<see cref="ILeadGrain.GetScoreIfChanged"/>); <see cref="Score"/> is then null.
/// </param>
[GenerateSerializer, Immutable, Alias("LeadScoring.ScoreResult")]
public sealed record ScoreResult(
    [property: Id(0)] ScoreStatus Status,
    [property: Id(1)] LeadScore? Score,
    [property: Id(2)] bool CacheHit,
    [property: Id(3)] string? ExperimentVariant = null,
    [property: Id(4)] bool Unchanged = false);

/// <summary>The headline of a score: what a batch returns for each lead unless insights are asked for.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ScoreSummary")]
public sealed record ScoreSummary(
    [property: Id(0)] string LeadId,
    [property: Id(1)] double OverallScore,
    [property: Id(2)] double ConversionProbability,
    [property: Id(3)] double Confidence,
    [property: Id(4)] string Grade,
    [property: Id(5)] DimensionScores Dimensions,
    [property: Id(6)] string ModelVersion,
    [property: Id(7)] DateTimeOffset ScoredAt)
{
    public static ScoreSummary Of(LeadScore score) => new(
        score.LeadId, score.OverallScore, score.ConversionProbability, score.Confidence, score.Grade, score.Dimensions, score.ModelVersion, score.ScoredAt);
}

/// <summary>One lead of a batch: its summary, and its whole score (with the explanation) when insights were asked for.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.BatchScoreResult")]
public sealed record BatchScoreResult(
    [property: Id(0)] ScoreStatus Status,
    [property: Id(1)] ScoreSummary? Summary,
    [property: Id(2)] LeadScore? Score,
    [property: Id(3)] bool CacheHit);

/// <summary>One entry of a lead's score history.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ScoreHistoryEntry")]
public sealed record ScoreHistoryEntry(
    [property: Id(0)] DateTimeOffset ScoredAt,
    [property: Id(1)] double OverallScore,
    [property: Id(2)] double ConversionProbability,
    [property: Id(3)] string Grade,
    [property: Id(4)] string ModelVersion,
    [property: Id(5)] ScoreTrigger Trigger);

[GenerateSerializer, Immutable, Alias("LeadScoring.ScoreHistoryResult")]
public sealed record ScoreHistoryResult(
    [property: Id(0)] ScoreStatus Status,
    [property: Id(1)] IReadOnlyList<ScoreHistoryEntry> Entries);
