using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Modeling.Tests.Scoring;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Tests.Scoring;

[Trait("Category", "Unit")]
public class CachedScoreTests
{
    private static readonly ChampionModel Model = ChampionModel.Load("v1", SimulatedModels.First.Artifact);

    [Fact]
    public void A_cached_score_reads_back_as_the_score_it_was_made_from()
    {
        var now = SimulatedModels.Origin;
        foreach (var lead in SyntheticCrm.Generate(80, seed: 31, now))
        {
            var aggregates = new ActivityAggregates();
            foreach (var activity in lead.Activities.OrderBy(a => a.OccurredAt))
            {
                FeatureEngine.Apply(aggregates, activity, new FeatureOptions(), now);
            }

            var features = FeatureEngine.Compute(aggregates, now.AddDays(-60), now, new FeatureOptions());
            var input = new LeadScoringInput(lead.LeadId, lead.Attributes, features, [.. lead.Activities.Reverse().Select(RecentActivity.Of)], [], now, ScoreTrigger.Activity);
            AssertReadsBack(LeadScorer.Score(Model, input, new GradeThresholds(), explain: false));
        }
    }

    [Fact]
    public void A_deferred_score_is_not_read_until_completed_and_then_reads_back_whole()
    {
        var now = SimulatedModels.Origin;
        CachedScore? cached = null;
        foreach (var lead in SyntheticCrm.Generate(20, seed: 32, now))
        {
            var features = FeatureEngine.Compute(new ActivityAggregates(), now.AddDays(-3), now, new FeatureOptions());
            var input = new LeadScoringInput(lead.LeadId, lead.Attributes, features, [], [0.5], now, ScoreTrigger.Activity);
            var score = LeadScorer.Score(Model, input, new GradeThresholds(), explain: false);
            var headline = ScoreHeadline.Of(score);

            // The same instance goes from complete to deferred and back, as a lead's does.
            cached = cached?.Defer(headline) ?? new CachedScore(headline);
            Assert.True(cached.DetailsPending);
            Assert.Equal(headline, cached.Headline);
            Assert.Throws<InvalidOperationException>(() => cached.ToScore(lead.LeadId));
            Assert.Throws<InvalidOperationException>(() => cached.ToSummary(lead.LeadId));

            cached.Update(score, Model);
            Assert.False(cached.DetailsPending);
            Assert.Equal(JsonSerializer.Serialize(score), JsonSerializer.Serialize(cached.ToScore(score.LeadId)));
            Assert.Equal(headline, cached.Headline);
        }
    }

    [Fact]
    public void Missing_dimensions_predictions_and_factors_read_back_as_missing()
    {
        var score = new LeadScore(
            "l1", 42.5, 0.425123, 0.731, "C",
            new DimensionScores(null, 99.9, 0.1, null, 50, 12.3),
            [Factor(Model.Columns[0], "retail", 1.2345), Factor(Model.Columns[^1], null, 0.0001)],
            [Factor(Model.Columns[1], "3", -17.5)],
            ["Offer a demo"],
            new ScoreRecommendations("Call", null, "email", []),
            null, 12.5, 0.25, ScoreTrend.Declining, "v3", new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), ScoreTrigger.Time, null);

        AssertReadsBack(score);
    }

    [Fact]
    public void A_factor_that_is_not_a_column_of_the_model_is_refused()
    {
        var score = LeadScorer.Score(Model, new LeadScoringInput("l1", new LeadAttributes(), FeatureEngine.Compute(
            new ActivityAggregates(), SimulatedModels.Origin, SimulatedModels.Origin, new FeatureOptions()), [], [], SimulatedModels.Origin, ScoreTrigger.Activity),
            new GradeThresholds(), explain: false);
        var renamed = score with { KeyFactors = [new ScoreFactor("no_such_column", null, 0.5, FeatureDimension.Behavioral)] };
        var otherDimension = score with { KeyFactors = [Factor(Model.Columns[0], null, 0.5) with { Dimension = (FeatureDimension)99 }] };

        Assert.Contains("no_such_column", Assert.Throws<ArgumentException>(() => new CachedScore(renamed, Model)).Message);
        Assert.Throws<ArgumentException>(() => new CachedScore(otherDimension, Model));
    }

    private static ScoreFactor Factor(ColumnEncoding column, string? value, double impact) => new(column.Column, value, impact, column.Dimension);

    [Fact]
    public void One_cached_score_updated_through_many_scores_reads_back_as_each_and_leaves_earlier_reads_alone()
    {
        var now = SimulatedModels.Origin;
        CachedScore? cached = null;
        LeadScore? previous = null;
        string? previousRead = null;
        var keptOpportunities = 0;
        foreach (var lead in SyntheticCrm.Generate(30, seed: 32, now))
        {
            // The lead's score after each of its activities in turn, as a lead grain rescores; factor counts,
            // opportunities and recommendations change between some of these and not between others.
            var aggregates = new ActivityAggregates();
            foreach (var activity in lead.Activities.OrderBy(a => a.OccurredAt))
            {
                FeatureEngine.Apply(aggregates, activity, new FeatureOptions(), now);
                var features = FeatureEngine.Compute(aggregates, now.AddDays(-60), now, new FeatureOptions());
                var input = new LeadScoringInput(lead.LeadId, lead.Attributes, features, [RecentActivity.Of(activity)], [], now, ScoreTrigger.Activity);
                var score = LeadScorer.Score(Model, input, new GradeThresholds(), explain: false);
                var earlier = cached?.ToScore(previous!.LeadId);

                cached = cached?.Update(score, Model) ?? new CachedScore(score, Model);

                Assert.Equal(JsonSerializer.Serialize(score), JsonSerializer.Serialize(cached.ToScore(score.LeadId)));
                Assert.Equal(JsonSerializer.Serialize(ScoreSummary.Of(score)), JsonSerializer.Serialize(cached.ToSummary(score.LeadId)));
                if (earlier is not null)
                {
                    Assert.Equal(previousRead, JsonSerializer.Serialize(earlier));
                    if (!ReferenceEquals(previous!.Opportunities, score.Opportunities) && previous.Opportunities.SequenceEqual(score.Opportunities))
                    {
                        Assert.Same(earlier.Opportunities, cached.ToScore(score.LeadId).Opportunities);
                        keptOpportunities++;
                    }
                }

                previous = score;
                previousRead = JsonSerializer.Serialize(cached.ToScore(score.LeadId));
            }
        }

        Assert.True(keptOpportunities > 10, $"only {keptOpportunities} rescores left the opportunities as they were");
    }

    private static void AssertReadsBack(LeadScore score)
    {
        var cached = new CachedScore(score, Model);

        Assert.Equal(JsonSerializer.Serialize(score), JsonSerializer.Serialize(cached.ToScore(score.LeadId)));
        Assert.Equal(JsonSerializer.Serialize(ScoreSummary.Of(score)), JsonSerializer.Serialize(cached.ToSummary(score.LeadId)));
        Assert.Equal((score.ModelVersion, score.ScoredAt), (cached.ModelVersion, cached.ScoredAt));
    }
}
