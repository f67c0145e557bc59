using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Scoring;

public class LeadScorerTests
{
    private static readonly ChampionModel Model = ChampionModel.Load("v1", SimulatedModels.First.Artifact);
    private static readonly FeatureOptions Options = new();

    [Fact]
    public void A_live_lead_is_scored_like_its_training_snapshot_and_its_explanation_adds_up_exactly()
    {
        var lead = SyntheticCrm.Generate(40, seed: 21, SimulatedModels.Origin).First(l => l.Activities.Count > 5);
        var input = Input(lead, SimulatedModels.Origin);

        var score = LeadScorer.Score(Model, input, new GradeThresholds(), explain: true);

        // The lead's attributes and activity features fill the model's columns by name, as its training rows did.
        var encoded = Model.Encode(lead.Attributes, input.Features);
        Assert.Equal(Model.Scoring.Probability(encoded.Vector), score.ConversionProbability, 6);
        Assert.Equal(Math.Round(100 * score.ConversionProbability, 1), score.OverallScore, 1);
        Assert.InRange(score.Confidence, 0, 1);

        var explanation = score.Explanation!;
        Assert.Equal(explanation.OutputValue, explanation.BaseValue + explanation.Contributions.Sum(c => c.Contribution), 9);
        Assert.Equal(score.ConversionProbability, LogisticStacker.Sigmoid(explanation.OutputValue), 5);
        Assert.Equal(Model.Columns.Count, explanation.Contributions.Count);
        Assert.Contains(explanation.Contributions, c => c.Feature == "industry" && c.Value == lead.Attributes["industry"].ToString());
    }

    [Fact]
    public void A_headline_completed_later_is_the_score_computed_at_once()
    {
        var now = SimulatedModels.Origin;
        double[] history = [0.2, 0.4, 0.9];
        var strict = new GradeThresholds { A = 90, B = 80, C = 70 };
        foreach (var lead in SyntheticCrm.Generate(80, seed: 23, now))
        {
            var input = Input(lead, now) with { RecentProbabilities = history, Trigger = ScoreTrigger.Activity };
            var encoded = Model.Encode(input.Attributes, input.Features);
            foreach (var grades in new[] { new GradeThresholds(), strict })
            {
                var atOnce = LeadScorer.Score(Model, input, encoded, grades, explain: false);
                var headline = LeadScorer.Headline(Model, input, encoded, grades);

                Assert.Equal(ScoreHeadline.Of(atOnce), headline);
                // Completed without the history: the trend is already in the headline.
                var later = LeadScorer.Complete(Model, input with { RecentProbabilities = [] }, encoded, headline, grades);
                Assert.Equal(JsonSerializer.Serialize(atOnce), JsonSerializer.Serialize(later));
            }
        }

        Assert.Contains(SyntheticCrm.Generate(80, seed: 23, now), l => LeadScorer.Score(Model, Input(l, now) with { RecentProbabilities = history }, new GradeThresholds(), false).Trend != ScoreTrend.Steady);
    }

    [Fact]
    public void A_headline_is_completed_only_by_its_own_model()
    {
        var lead = SyntheticCrm.Generate(5, seed: 24, SimulatedModels.Origin).First();
        var input = Input(lead, SimulatedModels.Origin);
        var encoded = Model.Encode(input.Attributes, input.Features);
        var headline = LeadScorer.Headline(Model, input, encoded, new GradeThresholds()) with { ModelVersion = "v0" };

        Assert.Contains("v0", Assert.Throws<ArgumentException>(() => LeadScorer.Complete(Model, input, encoded, headline, new GradeThresholds())).Message);
    }

    [Fact]
    public void The_strongest_columns_are_those_of_sorting_every_column_by_strength_with_ties_in_column_order()
    {
        var random = new Random(7);
        // Few distinct values, so that ties and values at the floor are common.
        double[] values = [0, 0.005, LeadScorer.FactorFloor, 0.02, 0.3, 0.3, 1.5, -0.005, -LeadScorer.FactorFloor, -0.02, -0.3, -1.5, double.NaN];
        for (var trial = 0; trial < 3000; trial++)
        {
            var attributions = Enumerable.Range(0, random.Next(0, 40)).Select(_ => values[random.Next(values.Length)]).ToArray();
            var room = random.Next(1, 8);
            foreach (var raising in new[] { true, false })
            {
                double Strength(int c) => raising ? attributions[c] : -attributions[c];
                var expected = Enumerable.Range(0, attributions.Length).Where(c => Strength(c) >= LeadScorer.FactorFloor)
                    .OrderByDescending(Strength).ThenBy(c => c).Take(room).ToArray();
                var strongest = new int[room];
                var count = LeadScorer.StrongestColumns(attributions, raising, strongest);

                Assert.Equal(expected, strongest[..count]);
            }
        }
    }

    [Fact]
    public void Factors_dimensions_and_grades_follow_the_attributions()
    {
        var leads = SyntheticCrm.Generate(60, seed: 22, SimulatedModels.Origin).ToList();
        var strict = new GradeThresholds { A = 90, B = 80, C = 70 };
        // The demographic columns of this model are attributes; their dimension score is above 50 exactly when they raise the odds.
        var demographic = Model.Columns.Where(c => c.Dimension == FeatureDimension.Demographic).Select(c => c.Column).ToHashSet();
        Assert.NotEmpty(demographic);
        var directionsChecked = 0;
        foreach (var lead in leads)
        {
            var score = LeadScorer.Score(Model, Input(lead, SimulatedModels.Origin), new GradeThresholds(), explain: false);
            Assert.All(score.KeyFactors, f => Assert.True(f.Impact > 0));
            Assert.All(score.RiskFactors, f => Assert.True(f.Impact < 0));
            Assert.True(score.KeyFactors.Count <= LeadScorer.FactorCount && score.RiskFactors.Count <= LeadScorer.FactorCount);
            Assert.Equal(score.OverallScore >= 75 ? "A" : score.OverallScore >= 50 ? "B" : score.OverallScore >= 25 ? "C" : "D", score.Grade);
            Assert.Equal(strict.Grade(score.OverallScore), LeadScorer.Score(Model, Input(lead, SimulatedModels.Origin), strict, false).Grade);
            Assert.Null(score.Explanation);
            if (score.Dimensions.Demographic is { } value && Math.Abs(value - 50) > 0.1)
            {
                directionsChecked++;
                var features = Model.Encode(lead.Attributes, Input(lead, SimulatedModels.Origin).Features).Vector;
                var slots = new double[features.Length];
                Model.Scoring.ScoreWithAttribution(features, slots);
                var columns = Model.PerColumn(slots);
                var sum = Model.Columns.Select((c, i) => demographic.Contains(c.Column) ? columns[i] : 0).Sum();
                Assert.Equal(value > 50, sum > 0);
            }
        }

        Assert.Contains(leads, l => LeadScorer.Score(Model, Input(l, SimulatedModels.Origin), new GradeThresholds(), false).Grade is "A" or "B");
        // The direction check above ran for most leads, not for none (a lead's demographic score can sit at 50).
        Assert.True(directionsChecked >= leads.Count / 2, $"the demographic direction was checked for {directionsChecked} of {leads.Count} leads");
    }

    [Fact]
    public void Recommendations_come_from_what_the_lead_did()
    {
        var now = SimulatedModels.Origin;
        var tuesday = new DateTimeOffset(2026, 5, 26, 14, 20, 0, TimeSpan.Zero);
        var activities = new List<ActivityRecord>
        {
            new("a1", ActivityType.EmailReply, tuesday, new ActivityProperties(null, null, "email", null)),
            new("a2", ActivityType.EmailClick, tuesday.AddDays(-7).AddMinutes(5), new ActivityProperties(null, null, "email", null)),
            new("a3", ActivityType.Download, tuesday.AddDays(-1), new ActivityProperties(null, null, "web", "pricing-guide")),
            new("a4", ActivityType.PageView, tuesday.AddDays(-3).AddHours(-5), new ActivityProperties(30, "https://example.com/p/1", "web", null)),
        };
        var features = Features(activities, now);

        var recommendations = LeadInsights.Recommend(60, new GradeThresholds(), activities.ConvertAll(RecentActivity.Of), features);

        Assert.Equal("Tuesday 14:00 UTC", recommendations.OptimalContactTime);
        Assert.Equal("email", recommendations.BestChannel);
        Assert.Equal(["pricing-guide", "https://example.com/p/1"], recommendations.Content);
        Assert.Contains("Follow up personally by email", recommendations.NextBestAction, StringComparison.Ordinal);
        Assert.Contains("Offer a demo", string.Join("|", LeadInsights.Opportunities(Model, new bool[Model.Columns.Count], features)), StringComparison.Ordinal);
    }

    [Fact]
    public void Recommendations_match_their_definition_on_simulated_leads()
    {
        var now = SimulatedModels.Origin;
        var channels = new[] { "email", "Email", "web", "phone", null };
        var checkedLeads = 0;
        var channelsChosen = new HashSet<string?>();
        var contentsChosen = new HashSet<string>();
        foreach (var lead in SyntheticCrm.Generate(300, seed: 11, now))
        {
            // Mixed-case and missing channels, repeated content and pages, bounces: every tie and filter is exercised.
            var random = new Random(checkedLeads);
            var activities = lead.Activities.Reverse().Select((a, i) => a with
            {
                Properties = new ActivityProperties(
                    null,
                    a.Type == ActivityType.PageView ? $"https://example.com/p/{random.Next(4)}" : null,
                    channels[random.Next(channels.Length)],
                    random.Next(3) == 0 ? $"https://example.com/p/{random.Next(4)}" : null),
            }).ToList();
            var features = Features(activities, now);

            var actual = LeadInsights.Recommend(60, new GradeThresholds(), activities.ConvertAll(RecentActivity.Of), features);

            var expected = Defined(activities);
            Assert.Equal(expected.Channel, actual.BestChannel);
            Assert.Equal(expected.ContactTime, actual.OptimalContactTime);
            Assert.Equal(expected.Content, actual.Content);
            channelsChosen.Add(expected.Channel);
            contentsChosen.Add(string.Join("|", expected.Content));
            checkedLeads++;
        }

        // The definition was exercised, not one answer over and over: no channel for some leads, more than one
        // channel and more than one piece of content for others.
        Assert.Contains(null, channelsChosen);
        Assert.True(channelsChosen.Count(c => c is not null) > 1, string.Join(", ", channelsChosen));
        Assert.True(contentsChosen.Count > 1, string.Join(", ", contentsChosen));

        // The definition, written as plainly as possible.
        static (string? Channel, string? ContactTime, string[] Content) Defined(List<ActivityRecord> recent)
        {
            var responsive = recent.Where(a => a.Type is not (ActivityType.EmailBounce or ActivityType.Unsubscribe)).ToList();
            var channel = responsive
                .GroupBy(a => a.Properties.Channel ?? LeadInsights.ChannelOf(a.Type), StringComparer.OrdinalIgnoreCase)
                .Select(g => (Channel: g.Key, Weight: g.Sum(a => FeatureCatalog.EngagementWeight(a.Type))))
                .OrderByDescending(g => g.Weight).ThenBy(g => g.Channel, StringComparer.Ordinal)
                .Select(g => g.Channel).FirstOrDefault();
            var contactTime = responsive
                .GroupBy(a => (a.OccurredAt.UtcDateTime.DayOfWeek, a.OccurredAt.UtcDateTime.Hour))
                .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Max(a => a.OccurredAt))
                .Select(g => $"{g.Key.DayOfWeek} {g.Key.Hour:00}:00 UTC").FirstOrDefault();
            var content = responsive.Where(a => a.Properties.ContentId is not null).Select(a => a.Properties.ContentId!)
                .Concat(responsive.Where(a => a.Type == ActivityType.PageView && a.Properties.Url is not null).Select(a => a.Properties.Url!))
                .Distinct(StringComparer.Ordinal).Take(3).ToArray();
            return (channel, contactTime, content);
        }
    }

    [Fact]
    public void Going_cold_risk_grows_with_quiet_days_and_trend_compares_with_recent_scores()
    {
        var activities = new List<ActivityRecord> { new("a1", ActivityType.PageView, SimulatedModels.Origin.AddDays(-1), ActivityProperties.None) };
        var fresh = LeadInsights.GoingColdRisk(Features(activities, SimulatedModels.Origin));
        var quiet = LeadInsights.GoingColdRisk(Features(activities, SimulatedModels.Origin.AddDays(20)));
        Assert.Equal(Math.Round(1 - Math.Exp(-1 / LeadInsights.ColdAfterDays), 3), fresh);
        Assert.Equal(Math.Round(1 - Math.Exp(-21 / LeadInsights.ColdAfterDays), 3), quiet);

        IReadOnlyList<double> history = [0.30, 0.31, 0.29];
        Assert.Equal(ScoreTrend.Improving, LeadInsights.Trend(0.40, history));
        Assert.Equal(ScoreTrend.Declining, LeadInsights.Trend(0.20, history));
        Assert.Equal(ScoreTrend.Steady, LeadInsights.Trend(0.305, history));
        Assert.Equal(ScoreTrend.Steady, LeadInsights.Trend(0.9, []));
    }

    public static LeadScoringInput Input(SimulatedLead lead, DateTimeOffset now) =>
        new(lead.LeadId, lead.Attributes, Features(lead.Activities, now), [.. lead.Activities.Reverse().Select(RecentActivity.Of)], [], now, ScoreTrigger.Activity);

    private static IReadOnlyList<FeatureValue> Features(IEnumerable<ActivityRecord> activities, DateTimeOffset now)
    {
        var aggregates = new ActivityAggregates();
        var list = activities.OrderBy(a => a.OccurredAt).ToList();
        foreach (var activity in list)
        {
            FeatureEngine.Apply(aggregates, activity, Options, now);
        }

        return FeatureEngine.Compute(aggregates, list.Count > 0 ? list[0].OccurredAt : now, now, Options);
    }
}
