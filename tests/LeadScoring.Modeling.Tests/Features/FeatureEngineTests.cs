using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;

namespace LeadScoring.Modeling.Tests.Features;

public class FeatureEngineTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly FeatureOptions Options = new() { EngagementHalfLife = TimeSpan.FromDays(7) };

    // (type, age, duration): applied oldest first, as a CRM would usually send them.
    private static readonly (ActivityType Type, TimeSpan Age, double? Duration)[] History =
    [
        (ActivityType.EmailReply, TimeSpan.FromDays(40), null),
        (ActivityType.Meeting, TimeSpan.FromDays(31), null),
        (ActivityType.EmailOpen, TimeSpan.FromDays(12), null),
        (ActivityType.EmailOpen, TimeSpan.FromDays(11), null),
        (ActivityType.EmailOpen, TimeSpan.FromDays(10), null),
        (ActivityType.EmailClick, TimeSpan.FromDays(10), null),
        (ActivityType.PageView, TimeSpan.FromDays(3), 30),
        (ActivityType.PageView, TimeSpan.FromHours(1), 60),
        (ActivityType.PageView, TimeSpan.FromMinutes(50), 120),
    ];

    [Fact]
    public void Counts_windows_visits_and_rates_match_hand_computed_values()
    {
        var features = Compute(Build(History), Now);

        Assert.Equal(3, features["page_view_count_total"]);
        Assert.Equal(3, features["page_view_count_7d"]);
        Assert.Equal(3, features["email_open_count_30d"]);
        Assert.Equal(0, features["email_open_count_7d"]);
        Assert.Equal(1, features["meeting_count_total"]);
        Assert.Equal(0, features["meeting_count_30d"]); // 31 days ago
        Assert.Equal(1, features["email_reply_count_total"]);
        Assert.Equal(0, features["email_reply_count_30d"]);
        Assert.Equal(9, features["activity_count_total"]);
        Assert.Equal(3, features["activity_count_7d"]);
        Assert.Equal(7, features["activity_count_30d"]); // 3 page views, 3 opens, 1 click
        Assert.Equal(210, features["time_on_site_seconds"]);
        Assert.Equal(2, features["visit_count"]); // 3 days ago; then 1 h and 50 min ago (10 minutes apart)
        Assert.Equal(1.5, features["pages_per_visit"]);
        Assert.Equal(2.0 / 3.0, features["email_response_rate"], 12); // (1 click + 1 reply) / 3 opens
        Assert.Equal(40.5, features["days_since_created"], 12);
        Assert.Equal(50.0 / (24 * 60), features["days_since_last_activity"], 12);
        // Last 7 days: 3 events. Days 7-35 before: 3 opens + 1 click + 1 meeting = 5, i.e. 1.25 a week.
        Assert.Equal((3 + 1) / (5 / 4.0 + 1), features["activity_momentum"], 12);
    }

    [Fact]
    public void Decayed_engagement_is_the_weighted_sum_halved_every_half_life()
    {
        static double Term(double weight, double ageDays) => weight * Math.Pow(0.5, ageDays / 7);
        var expected =
            Term(4, 40) + Term(6, 31) + Term(1, 12) + Term(1, 11) + Term(1, 10) + Term(2, 10)
            + Term(1, 3) + Term(1, 1.0 / 24) + Term(1, 50.0 / (24 * 60));

        Assert.Equal(expected, Compute(Build(History), Now)["engagement_decayed"], 10);
        // The sum does not depend on the order events arrive in.
        Assert.Equal(expected, Compute(Build(History.Reverse().ToArray()), Now)["engagement_decayed"], 10);
    }

    [Fact]
    public void A_quiet_lead_ages_when_read_later_without_any_new_activity()
    {
        var aggregates = Build(History);
        var today = Compute(aggregates, Now);
        var later = Compute(aggregates, Now + TimeSpan.FromDays(8));

        Assert.Equal(0, later["page_view_count_7d"]);
        Assert.Equal(3, later["page_view_count_30d"]);
        Assert.Equal(today["days_since_last_activity"] + 8, later["days_since_last_activity"], 9);
        Assert.Equal(today["engagement_decayed"] * Math.Pow(0.5, 8.0 / 7), later["engagement_decayed"], 10);
        Assert.Equal(3, later["page_view_count_total"]);
    }

    [Fact]
    public void Events_older_than_the_momentum_window_count_only_toward_totals()
    {
        var aggregates = Build([(ActivityType.Download, TimeSpan.FromDays(36), null)]);
        var features = Compute(aggregates, Now);

        Assert.Empty(aggregates.HourlyBuckets);
        Assert.Equal(1, features["download_count_total"]);
        Assert.Equal(0, features["download_count_30d"]);
        Assert.Equal(1, features["activity_momentum"]);
    }

    [Fact]
    public void Every_feature_has_a_dimension_and_the_catalog_order()
    {
        var computed = FeatureEngine.Compute(Build(History), Created, Now, Options);

        Assert.Equal(FeatureCatalog.All.Select(f => f.Name), computed.Select(f => f.Name));
        Assert.Equal(FeatureCatalog.All.Select(f => f.Dimension), computed.Select(f => f.Dimension));
        Assert.Equal("page_view", computed.Single(f => f.Name == FeatureCatalog.LastActivityType).Category);
        Assert.Equal(6, Enum.GetValues<FeatureDimension>().Length);
    }

    private static ActivityAggregates Build((ActivityType Type, TimeSpan Age, double? Duration)[] history)
    {
        var aggregates = new ActivityAggregates();
        foreach (var (type, age, duration) in history)
        {
            var activity = new ActivityRecord(null, type, Now - age, new ActivityProperties(duration, null, null, null));
            FeatureEngine.Apply(aggregates, activity, Options, Now);
        }

        return aggregates;
    }

    private static Dictionary<string, double> Compute(ActivityAggregates aggregates, DateTimeOffset now) =>
        FeatureEngine.Compute(aggregates, Created, now, Options)
            .Where(f => f.Number is not null)
            .ToDictionary(f => f.Name, f => f.Number!.Value);
}
