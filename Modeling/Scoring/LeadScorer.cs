using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Scoring;

/// <summary>What a lead brings to be scored.</summary>
/// <param name="RecentActivities">Newest first.</param>
/// <param name="RecentProbabilities">Conversion probabilities of earlier scores, newest first.</param>
public sealed record LeadScoringInput(
    string LeadId,
    IReadOnlyDictionary<string, LeadAttributeValue> Attributes,
    IReadOnlyList<FeatureValue> Features,
    IReadOnlyList<RecentActivity> RecentActivities,
    IReadOnlyList<double> RecentProbabilities,
    DateTimeOffset Now,
    ScoreTrigger Trigger);

/// <summary>
/// What a rescore decides at once, without attributions: the figures a change's history entry, drift sample
/// and batch headline carry. A <see cref="LeadScore"/> starts with the same figures.
/// </summary>
public readonly record struct ScoreHeadline(
    double OverallScore,
    double ConversionProbability,
    double Confidence,
    string Grade,
    ScoreTrend Trend,
    string ModelVersion,
    DateTimeOffset ScoredAt,
    ScoreTrigger Trigger)
{
    public static ScoreHeadline Of(LeadScore score) => new(
        score.OverallScore, score.ConversionProbability, score.Confidence, score.Grade, score.Trend, score.ModelVersion, score.ScoredAt, score.Trigger);
}

/// <summary>
/// Turns a lead and a champion model into a <see cref="LeadScore"/>: the calibrated probability, confidence,
/// grade, dimension scores, factors and recommendations. Pure: no Orleans, no I/O. Definitions are in the
/// README ("Scores").
/// </summary>
public static class LeadScorer
{
    public const int FactorCount = 5;

    /// <summary>Contributions smaller than this (in log-odds) are not worth naming as a factor.</summary>
    public const double FactorFloor = 0.01;

    /// <summary>Decimals a factor's impact is rounded to.</summary>
    public const int ImpactDecimals = 4;

    public static LeadScore Score(ChampionModel model, LeadScoringInput lead, GradeThresholds grades, bool explain) =>
        Score(model, lead, model.Encode(lead.Attributes, lead.Features), grades, explain);

    /// <param name="encoded">The lead encoded by <see cref="ChampionModel.Encode"/>, when the caller needs it too.</param>
    public static LeadScore Score(ChampionModel model, LeadScoringInput lead, EncodedLead encoded, GradeThresholds grades, bool explain)
    {
        Span<double> slotAttributions = stackalloc double[encoded.Vector.Length];
        var output = model.Scoring.ScoreWithAttribution(encoded.Vector, slotAttributions);
        return Build(model, lead, encoded, HeadlineOf(model, lead, encoded, grades, output), slotAttributions, grades, explain);
    }

    /// <summary>
    /// The figures of a score that need no attributions: what a change's rescore must decide before it is
    /// acknowledged (its history entry, its drift sample). <see cref="Complete"/> adds the rest later.
    /// </summary>
    public static ScoreHeadline Headline(ChampionModel model, LeadScoringInput lead, EncodedLead encoded, GradeThresholds grades) =>
        HeadlineOf(model, lead, encoded, grades, model.Scoring.Score(encoded.Vector));

    /// <summary>
    /// The whole score of which <paramref name="headline"/> is the start, for the same lead at the same time
    /// (<paramref name="lead"/> as it was at <see cref="ScoreHeadline.ScoredAt"/>): equal to what
    /// <see cref="Score(ChampionModel, LeadScoringInput, EncodedLead, GradeThresholds, bool)"/> gave then.
    /// </summary>
    public static LeadScore Complete(ChampionModel model, LeadScoringInput lead, EncodedLead encoded, ScoreHeadline headline, GradeThresholds grades)
    {
        if (headline.ModelVersion != model.Version)
        {
            throw new ArgumentException($"the headline is of model {headline.ModelVersion}, not {model.Version}", nameof(headline));
        }

        Span<double> slotAttributions = stackalloc double[encoded.Vector.Length];
        model.Scoring.ScoreWithAttribution(encoded.Vector, slotAttributions);
        return Build(model, lead, encoded, headline, slotAttributions, grades, explain: false);
    }

    private static ScoreHeadline HeadlineOf(ChampionModel model, LeadScoringInput lead, EncodedLead encoded, GradeThresholds grades, EnsembleOutput output)
    {
        var probability = output.Probability;
        var overall = Math.Round(100 * probability, 1);
        var (forest, boosted, linear) = model.Scoring.ModelProbabilities(output);
        var agreement = 1 - (Math.Max(forest, Math.Max(boosted, linear)) - Math.Min(forest, Math.Min(boosted, linear)));
        var completeness = encoded.Missing.Count(m => !m) / (double)Math.Max(1, encoded.Missing.Length);
        return new ScoreHeadline(
            overall,
            Math.Round(probability, 6),
            Math.Round(agreement * (0.5 + 0.5 * completeness), 3),
            grades.Grade(overall),
            LeadInsights.Trend(probability, lead.RecentProbabilities),
            model.Version,
            lead.Now,
            lead.Trigger);
    }

    private static LeadScore Build(
        ChampionModel model, LeadScoringInput lead, EncodedLead encoded, ScoreHeadline headline, ReadOnlySpan<double> slotAttributions, GradeThresholds grades, bool explain)
    {
        var features = encoded.Vector;
        var attributions = model.PerColumn(slotAttributions);
        return new LeadScore(
            lead.LeadId,
            headline.OverallScore,
            headline.ConversionProbability,
            headline.Confidence,
            headline.Grade,
            DimensionScores(model, attributions),
            StrongestFactors(model, lead, attributions, raising: true),
            StrongestFactors(model, lead, attributions, raising: false),
            LeadInsights.Opportunities(model, encoded.Missing, lead.Features),
            LeadInsights.Recommend(headline.OverallScore, grades, lead.RecentActivities, lead.Features),
            model.DealSize is { } dealSize ? Math.Round(Math.Max(0, dealSize.Evaluate(features)), 2) : null,
            model.DaysToClose is { } daysToClose ? Math.Round(Math.Max(0, daysToClose.Evaluate(features)), 1) : null,
            LeadInsights.GoingColdRisk(lead.Features),
            headline.Trend,
            headline.ModelVersion,
            headline.ScoredAt,
            headline.Trigger,
            explain ? Explain(model, features, c => model.CellOf(c, lead.Attributes, lead.Features)) : null,
            MissingFeatures(model, encoded.Missing));
    }

    /// <summary>The names of the model's columns the lead has no value for; one shared list per combination.</summary>
    public static IReadOnlyList<string> MissingFeatures(ChampionModel model, bool[] missing)
    {
        var count = 0;
        foreach (var lacking in missing)
        {
            count += lacking ? 1 : 0;
        }

        if (count == 0)
        {
            return [];
        }

        var names = new string[count];
        for (int c = 0, n = 0; c < missing.Length; c++)
        {
            if (missing[c])
            {
                names[n++] = model.Columns[c].Column;
            }
        }

        return SharedValues.TextList(names);
    }

    /// <summary>
    /// The columns that raise (or lower) the odds most, strongest first, at most <paramref name="strongest"/>'s
    /// length and each at least <see cref="FactorFloor"/>; equal strengths in column order. Returns how many.
    /// One pass over the columns: every rescore picks its factors, and sorting all columns cost more than the
    /// rest of building them.
    /// </summary>
    public static int StrongestColumns(ReadOnlySpan<double> attributions, bool raising, Span<int> strongest)
    {
        var count = 0;
        for (var c = 0; c < attributions.Length; c++)
        {
            var strength = raising ? attributions[c] : -attributions[c];
            if (!(strength >= FactorFloor))
            {
                continue;
            }

            var at = count;
            while (at > 0 && (raising ? attributions[strongest[at - 1]] : -attributions[strongest[at - 1]]) < strength)
            {
                at--;
            }

            if (at == strongest.Length)
            {
                continue;
            }

            count = Math.Min(count + 1, strongest.Length);
            strongest[at..(count - 1)].CopyTo(strongest[(at + 1)..count]);
            strongest[at] = c;
        }

        return count;
    }

    private static ScoreFactor[] StrongestFactors(ChampionModel model, LeadScoringInput lead, double[] attributions, bool raising)
    {
        Span<int> strongest = stackalloc int[FactorCount];
        var factors = new ScoreFactor[StrongestColumns(attributions, raising, strongest)];
        for (var i = 0; i < factors.Length; i++)
        {
            var c = strongest[i];
            factors[i] = new ScoreFactor(
                model.Columns[c].Column, model.CellOf(c, lead.Attributes, lead.Features), Math.Round(attributions[c], ImpactDecimals), model.Columns[c].Dimension);
        }

        return factors;
    }

    /// <summary>Exact Shapley values of the lead's calibrated log-odds, one per model column.</summary>
    public static ScoreExplanation Explain(ChampionModel model, IReadOnlyDictionary<string, LeadAttributeValue> attributes, IReadOnlyList<FeatureValue> features) =>
        Explain(model, model.Encode(attributes, features).Vector, c => model.CellOf(c, attributes, features));

    /// <summary>
    /// Exact Shapley values of the calibrated log-odds, summed over each column's encoded slots, strongest first;
    /// <paramref name="cellOf"/> gives column c's value as text.
    /// </summary>
    public static ScoreExplanation Explain(ChampionModel model, float[] features, Func<int, string?> cellOf)
    {
        var explanation = model.Scoring.Explain(features);
        var perColumn = model.PerColumn(explanation.Contributions);
        return new ScoreExplanation(
            explanation.BaseValue,
            explanation.OutputValue,
            [.. perColumn.Select((c, i) => new FeatureContribution(model.Columns[i].Column, cellOf(i), c, model.Columns[i].Dimension))
                .OrderByDescending(c => Math.Abs(c.Contribution))]);
    }

    /// <summary>
    /// Each dimension's score is 100 × σ(Σ attributions of its columns): 50 when its features leave the odds where
    /// the average lead's are, above when they raise them. Null for a dimension the model has no column of.
    /// </summary>
    private static DimensionScores DimensionScores(ChampionModel model, double[] attributions)
    {
        var sums = new double[Enum.GetValues<FeatureDimension>().Length];
        for (var c = 0; c < attributions.Length; c++)
        {
            sums[(int)model.Columns[c].Dimension] += attributions[c];
        }

        double? Of(FeatureDimension dimension) =>
            model.Dimensions.Contains(dimension) ? Math.Round(100 * LogisticStacker.Sigmoid(sums[(int)dimension]), 1) : null;
        return new DimensionScores(
            Of(FeatureDimension.Behavioral), Of(FeatureDimension.Engagement), Of(FeatureDimension.Demographic),
            Of(FeatureDimension.Temporal), Of(FeatureDimension.Interaction), Of(FeatureDimension.Quality));
    }
}
