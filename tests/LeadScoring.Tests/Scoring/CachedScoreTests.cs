using System.Text.Json;
using LeadScoring.Grains.Features;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Simulation;

namespace LeadScoring.Tests.Scoring;

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
            var input = new LeadScoringInput(lead.LeadId, lead.Attributes, features, [.. lead.Activities.Reverse()], [], now, ScoreTrigger.Activity);
            AssertReadsBack(LeadScorer.Score(Model, input, new GradeThresholds(), explain: false));
        }
    }

    [Fact]
    public void Missing_dimensions_predictions_and_factors_read_back_as_missing()
    {
        var score = new LeadScore(
            "l1", 42.5, 0.425123, 0.731, "C",
            new DimensionScores(null, 99.9, 0.1, null, 50, 12.3),
            [new ScoreFactor("industry", "retail", 1.2345, FeatureDimension.Demographic), new ScoreFactor("visits", null, 0.0001, FeatureDimension.Engagement)],
            [],
            ["Offer a demo"],
            new ScoreRecommendations("Call", null, "email", []),
            null, 12.5, 0.25, ScoreTrend.Declining, "v3", new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), ScoreTrigger.Time, null);

        AssertReadsBack(score);
    }

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
                var input = new LeadScoringInput(lead.LeadId, lead.Attributes, features, [activity], [], now, ScoreTrigger.Activity);
                var score = LeadScorer.Score(Model, input, new GradeThresholds(), explain: false);
                var earlier = cached?.ToScore(previous!.LeadId);

                cached = cached?.Update(score) ?? new CachedScore(score);

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
        var cached = new CachedScore(score);

        Assert.Equal(JsonSerializer.Serialize(score), JsonSerializer.Serialize(cached.ToScore(score.LeadId)));
        Assert.Equal(JsonSerializer.Serialize(ScoreSummary.Of(score)), JsonSerializer.Serialize(cached.ToSummary(score.LeadId)));
        Assert.Equal((score.ModelVersion, score.ScoredAt), (cached.ModelVersion, cached.ScoredAt));
    }
}
