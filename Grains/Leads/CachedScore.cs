using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// A lead's latest score as an active lead keeps it between reads: the same figures as <see cref="LeadScore"/>,
/// laid out for a million leads in one silo. The factors are one array of 16-byte values (the model's column
/// by position, which gives the feature and its dimension; the impact as a float, exact to its four decimals)
/// instead of an object each, and the dimension scores are fields; a <see cref="LeadScore"/> is built again
/// on each read that returns the whole score. After a change the lead keeps only the new score's headline
/// (<see cref="Defer"/>): the factors, dimensions and recommendations are worked out on the next read, so a
/// lead that takes many activities between reads computes them once, not per activity.
/// </summary>
public sealed class CachedScore
{
    private double _overallScore;
    private double _conversionProbability;
    private double _confidence;
    private string _grade = "";

    // Dimension scores are 0-100 to one decimal, which a float holds exactly enough to round back; NaN for none.
    private float _behavioral, _engagement, _demographic, _temporal, _interaction, _quality;

    // Key factors first, then risk factors; each names its column among the scoring model's.
    private IReadOnlyList<ColumnEncoding> _columns = [];
    private Factor[] _factors = [];
    private int _keyFactorCount;
    private IReadOnlyList<string> _opportunities = [];
    private IReadOnlyList<string>? _missingFeatures;
    private ScoreRecommendations _recommendations = null!;
    // NaN for none (a nullable double takes twice the room).
    private double _predictedDealSize;
    private double _predictedDaysToClose;
    private double _goingColdRisk;
    private byte _trend;
    private byte _trigger;

    /// <param name="model">The model that computed the score (its factors are its columns).</param>
    public CachedScore(LeadScore score, ChampionModel model) => Update(score, model);

    /// <summary>A score known by its headline only, until <see cref="Update"/> completes it.</summary>
    public CachedScore(ScoreHeadline headline) => Defer(headline);

    /// <summary>True while only the headline is known: the rest must be computed before the score is read.</summary>
    public bool DetailsPending { get; private set; }

    public ScoreHeadline Headline =>
        new(_overallScore, _conversionProbability, _confidence, _grade, (ScoreTrend)_trend, ModelVersion, ScoredAt, (ScoreTrigger)_trigger);

    /// <summary>Takes a new score's headline into this instance; its factors and the rest are pending until <see cref="Update"/>.</summary>
    public CachedScore Defer(ScoreHeadline headline)
    {
        TakeHeadline(headline);
        DetailsPending = true;
        return this;
    }

    /// <summary>
    /// Takes the new score into this instance instead of a new one. A lead that rescores keeps one cached score
    /// for its lifetime: its factor array is overwritten when the count is the same, and its opportunities and
    /// recommendations stay the same objects while they do not change. What a rescore leaves behind is what
    /// the silo's next young-generation collection must copy, and those pauses are the activities' p99.
    /// Safe because a lead grain handles one request at a time and every read copies out of this instance.
    /// </summary>
    public CachedScore Update(LeadScore score, ChampionModel model)
    {
        TakeHeadline(ScoreHeadline.Of(score));
        var dimensions = score.Dimensions;
        (_behavioral, _engagement, _demographic) = (Compact(dimensions.Behavioral), Compact(dimensions.Engagement), Compact(dimensions.Demographic));
        (_temporal, _interaction, _quality) = (Compact(dimensions.Temporal), Compact(dimensions.Interaction), Compact(dimensions.Quality));
        var count = score.KeyFactors.Count + score.RiskFactors.Count;
        if (_factors.Length != count)
        {
            _factors = new Factor[count];
        }

        _keyFactorCount = score.KeyFactors.Count;
        _columns = model.Columns;
        for (var i = 0; i < count; i++)
        {
            var factor = i < _keyFactorCount ? score.KeyFactors[i] : score.RiskFactors[i - _keyFactorCount];
            var column = model.IndexOfColumn(factor.Feature);
            if (column < 0 || model.Columns[column].Dimension != factor.Dimension)
            {
                throw new ArgumentException($"factor '{factor.Feature}' is not a column of model {model.Version}", nameof(score));
            }

            _factors[i] = new Factor(factor.Value, (float)factor.Impact, checked((ushort)column));
        }

        if (!SharedValues.SameTextList(_opportunities, score.Opportunities))
        {
            _opportunities = SharedValues.TextList(score.Opportunities);
        }

        if (score.MissingFeatures is null || _missingFeatures is null || !SharedValues.SameTextList(_missingFeatures, score.MissingFeatures))
        {
            _missingFeatures = score.MissingFeatures is { } missing ? SharedValues.TextList(missing) : null;
        }

        if (_recommendations is null || !SharedValues.SameRecommendations(_recommendations, score.Recommendations))
        {
            _recommendations = SharedValues.Recommendations(score.Recommendations);
        }

        _predictedDealSize = score.PredictedDealSize ?? double.NaN;
        _predictedDaysToClose = score.PredictedDaysToClose ?? double.NaN;
        _goingColdRisk = score.GoingColdRisk;
        DetailsPending = false;
        return this;
    }

    private void TakeHeadline(ScoreHeadline headline)
    {
        _overallScore = headline.OverallScore;
        _conversionProbability = headline.ConversionProbability;
        _confidence = headline.Confidence;
        _grade = SharedValues.Text(headline.Grade);
        _trend = checked((byte)headline.Trend);
        ModelVersion = SharedValues.Text(headline.ModelVersion);
        ScoredAt = headline.ScoredAt;
        _trigger = checked((byte)headline.Trigger);
    }

    public string ModelVersion { get; private set; } = "";

    public DateTimeOffset ScoredAt { get; private set; }

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
        double.IsNaN(_predictedDealSize) ? null : _predictedDealSize,
        double.IsNaN(_predictedDaysToClose) ? null : _predictedDaysToClose,
        _goingColdRisk,
        (ScoreTrend)_trend,
        ModelVersion,
        ScoredAt,
        (ScoreTrigger)_trigger,
        null,
        _missingFeatures);

    /// <summary>Equal to <see cref="ScoreSummary.Of"/> of <see cref="ToScore"/>, without building the factors.</summary>
    public ScoreSummary ToSummary(string leadId) =>
        new(leadId, _overallScore, _conversionProbability, _confidence, _grade, Dimensions(), ModelVersion, ScoredAt);

    // Every read of the score goes through here.
    private DimensionScores Dimensions() => DetailsPending
        ? throw new InvalidOperationException("the score's details are pending: complete them before reading it")
        : new(
        Expand(_behavioral), Expand(_engagement), Expand(_demographic), Expand(_temporal), Expand(_interaction), Expand(_quality));

    private ScoreFactor[] Factors(int start, int count)
    {
        var factors = new ScoreFactor[count];
        for (var i = 0; i < count; i++)
        {
            var factor = _factors[start + i];
            var column = _columns[factor.Column];
            factors[i] = new ScoreFactor(column.Column, factor.Value, Math.Round(factor.Impact, LeadScorer.ImpactDecimals), column.Dimension);
        }

        return factors;
    }

    private static float Compact(double? dimensionScore) => dimensionScore is { } value ? (float)value : float.NaN;

    private static double? Expand(float dimensionScore) => float.IsNaN(dimensionScore) ? null : Math.Round(dimensionScore, 1);

    // A float holds an impact (at most a few units) to far better than its four decimals, so rounding it back is exact.
    private readonly record struct Factor(string? Value, float Impact, ushort Column);
}
