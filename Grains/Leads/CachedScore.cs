using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// A lead's latest score as an active lead keeps it between reads: the same figures as <see cref="LeadScore"/>,
/// laid out for a million leads in one silo. The factors are one array of values instead of an object each,
/// and the dimension scores are fields, which takes the cached score from about 900 to about 500 bytes; a
/// <see cref="LeadScore"/> is built again on each read that returns the whole score.
/// </summary>
public sealed class CachedScore
{
    private readonly double _overallScore;
    private readonly double _conversionProbability;
    private readonly double _confidence;
    private readonly string _grade;

    // Dimension scores are 0-100 to one decimal, which a float holds exactly enough to round back; NaN for none.
    private readonly float _behavioral, _engagement, _demographic, _temporal, _interaction, _quality;

    // Key factors first, then risk factors.
    private readonly Factor[] _factors;
    private readonly int _keyFactorCount;
    private readonly IReadOnlyList<string> _opportunities;
    private readonly ScoreRecommendations _recommendations;
    private readonly double? _predictedDealSize;
    private readonly double? _predictedDaysToClose;
    private readonly double _goingColdRisk;
    private readonly ScoreTrend _trend;
    private readonly ScoreTrigger _trigger;

    public CachedScore(LeadScore score)
    {
        _overallScore = score.OverallScore;
        _conversionProbability = score.ConversionProbability;
        _confidence = score.Confidence;
        _grade = SharedValues.Text(score.Grade);
        var dimensions = score.Dimensions;
        (_behavioral, _engagement, _demographic) = (Compact(dimensions.Behavioral), Compact(dimensions.Engagement), Compact(dimensions.Demographic));
        (_temporal, _interaction, _quality) = (Compact(dimensions.Temporal), Compact(dimensions.Interaction), Compact(dimensions.Quality));
        _factors = [.. score.KeyFactors.Concat(score.RiskFactors).Select(f => new Factor(f.Feature, f.Value, f.Impact, f.Dimension))];
        _keyFactorCount = score.KeyFactors.Count;
        _opportunities = score.Opportunities;
        _recommendations = score.Recommendations;
        _predictedDealSize = score.PredictedDealSize;
        _predictedDaysToClose = score.PredictedDaysToClose;
        _goingColdRisk = score.GoingColdRisk;
        _trend = score.Trend;
        ModelVersion = SharedValues.Text(score.ModelVersion);
        ScoredAt = score.ScoredAt;
        _trigger = score.Trigger;
    }

    public string ModelVersion { get; }

    public DateTimeOffset ScoredAt { get; }

    /// <summary>The score as it was computed, without an explanation (explanations are never cached).</summary>
    public LeadScore ToScore(string leadId) => new(
        leadId,
        _overallScore,
        _conversionProbability,
        _confidence,
        _grade,
        Dimensions(),
        Factors(0, _keyFactorCount),
        Factors(_keyFactorCount, _factors.Length - _keyFactorCount),
        _opportunities,
        _recommendations,
        _predictedDealSize,
        _predictedDaysToClose,
        _goingColdRisk,
        _trend,
        ModelVersion,
        ScoredAt,
        _trigger,
        null);

    /// <summary>Equal to <see cref="ScoreSummary.Of"/> of <see cref="ToScore"/>, without building the factors.</summary>
    public ScoreSummary ToSummary(string leadId) =>
        new(leadId, _overallScore, _conversionProbability, _confidence, _grade, Dimensions(), ModelVersion, ScoredAt);

    private DimensionScores Dimensions() => new(
        Expand(_behavioral), Expand(_engagement), Expand(_demographic), Expand(_temporal), Expand(_interaction), Expand(_quality));

    private ScoreFactor[] Factors(int start, int count)
    {
        var factors = new ScoreFactor[count];
        for (var i = 0; i < count; i++)
        {
            var factor = _factors[start + i];
            factors[i] = new ScoreFactor(factor.Feature, factor.Value, factor.Impact, factor.Dimension);
        }

        return factors;
    }

    private static float Compact(double? dimensionScore) => dimensionScore is { } value ? (float)value : float.NaN;

    private static double? Expand(float dimensionScore) => float.IsNaN(dimensionScore) ? null : Math.Round(dimensionScore, 1);

    private readonly record struct Factor(string Feature, string? Value, double Impact, FeatureDimension Dimension);
}
