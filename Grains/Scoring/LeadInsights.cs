using System.Globalization;
using LeadScoring.Grains.Features;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Training;

namespace LeadScoring.Grains.Scoring;

/// <summary>The rule-based parts of a score: opportunities, recommendations, going-cold risk and trend.</summary>
public static class LeadInsights
{
    /// <summary>After this many quiet days the going-cold risk is 1 − 1/e (about 0.63).</summary>
    public const double ColdAfterDays = 14;

    /// <summary>A probability this far above (below) the mean of the previous scores is a rising (falling) trend.</summary>
    public const double TrendThreshold = 0.02;

    public const int TrendWindow = 5;

    private static readonly ActivityType[] Unresponsive = [ActivityType.EmailBounce, ActivityType.Unsubscribe];

    /// <param name="missing">Per model column: the lead has no value for it.</param>
    public static IReadOnlyList<string> Opportunities(ChampionModel model, bool[] missing, IReadOnlyList<FeatureValue> features)
    {
        var opportunities = new List<string>();
        opportunities.AddRange(model.Columns
            .Select((column, c) => (column, c))
            .Where(p => p.column.Source == FeatureSource.Attribute && missing[p.c])
            .Take(2)
            .Select(p => SharedValues.Text($"Complete the profile: {p.column.Column} is unknown and the model uses it")));
        if (Count(features, ActivityType.DemoRequest) + Count(features, ActivityType.Meeting) == 0)
        {
            opportunities.Add("Offer a demo or a meeting: the lead has had neither yet");
        }

        if (Count30d(features, ActivityType.EmailOpen) > 0 && Count30d(features, ActivityType.EmailReply) + Count30d(features, ActivityType.EmailClick) == 0)
        {
            opportunities.Add("Ask a direct question by e-mail: the lead opened e-mails in the last 30 days but neither clicked nor replied");
        }

        if (Count(features, ActivityType.PageView) > 0 && Count(features, ActivityType.Download) + Count(features, ActivityType.WebinarAttended) == 0)
        {
            opportunities.Add("Share a case study or webinar: the lead browses the site but has not taken any content yet");
        }

        // Arrays: the lead keeps them in its cached score, and a list would add its own object.
        return opportunities.ToArray();
    }

    public static ScoreRecommendations Recommend(double score, GradeThresholds grades, IReadOnlyList<ActivityRecord> recent, IReadOnlyList<FeatureValue> features)
    {
        var responsive = recent.Where(a => !Unresponsive.Contains(a.Type)).ToList();
        var channel = responsive
            .GroupBy(a => a.Properties.Channel ?? ChannelOf(a.Type), StringComparer.OrdinalIgnoreCase)
            .Select(g => (Channel: g.Key, Weight: g.Sum(a => FeatureCatalog.EngagementWeight(a.Type))))
            .OrderByDescending(g => g.Weight).ThenBy(g => g.Channel, StringComparer.Ordinal)
            .Select(g => g.Channel)
            .FirstOrDefault();
        var contactTime = responsive
            .GroupBy(a => (a.OccurredAt.UtcDateTime.DayOfWeek, a.OccurredAt.UtcDateTime.Hour))
            .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Max(a => a.OccurredAt))
            .Select(g => SharedValues.Text(string.Create(CultureInfo.InvariantCulture, $"{g.Key.DayOfWeek} {g.Key.Hour:00}:00 UTC")))
            .FirstOrDefault();
        var content = responsive
            .Where(a => a.Properties.ContentId is not null)
            .Select(a => a.Properties.ContentId!)
            .Concat(responsive.Where(a => a.Type == ActivityType.PageView && a.Properties.Url is not null).Select(a => a.Properties.Url!))
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .Select(SharedValues.Text)
            .ToArray();
        var via = channel is null ? "" : $" by {channel}";
        var met = Count(features, ActivityType.Meeting) + Count(features, ActivityType.DemoRequest) > 0;
        var coldRisk = GoingColdRisk(features);
        var action = score switch
        {
            _ when score >= grades.B && coldRisk > 0.6 => $"Re-engage now{via}: a promising lead has gone quiet",
            _ when score >= grades.A => met ? "Send a proposal: high intent and already in conversation" : $"Call today and book a demo{via}",
            _ when score >= grades.B => $"Follow up personally{via} within a day",
            _ when score >= grades.C => "Nurture: add to an e-mail sequence with content matching the lead's interests",
            _ => "Low priority: keep in automated nurture",
        };
        return new ScoreRecommendations(SharedValues.Text(action), contactTime, channel is null ? null : SharedValues.Text(channel), content);
    }

    /// <summary>1 − exp(−quiet days / <see cref="ColdAfterDays"/>), from the last activity (or creation when there is none).</summary>
    public static double GoingColdRisk(IReadOnlyList<FeatureValue> features)
    {
        var quietDays = FeatureCatalog.Find(features, FeatureCatalog.DaysSinceLastActivity)?.Number
            ?? FeatureCatalog.Find(features, FeatureCatalog.DaysSinceCreated)?.Number
            ?? 0;
        return Math.Round(1 - Math.Exp(-Math.Max(0, quietDays) / ColdAfterDays), 3);
    }

    /// <summary>The probability against the mean of the last <see cref="TrendWindow"/> scores (newest first).</summary>
    public static ScoreTrend Trend(double probability, IReadOnlyList<ScoreHistoryEntry> history)
    {
        if (history.Count == 0)
        {
            return ScoreTrend.Steady;
        }

        var change = probability - history.Take(TrendWindow).Average(h => h.ConversionProbability);
        return change > TrendThreshold ? ScoreTrend.Improving : change < -TrendThreshold ? ScoreTrend.Declining : ScoreTrend.Steady;
    }

    private static string ChannelOf(ActivityType type) => type switch
    {
        ActivityType.EmailOpen or ActivityType.EmailClick or ActivityType.EmailReply => "email",
        ActivityType.Call or ActivityType.Meeting or ActivityType.DemoRequest => "phone",
        ActivityType.WebinarAttended => "event",
        ActivityType.SocialEngagement => "social",
        _ => "web",
    };

    private static double Count(IReadOnlyList<FeatureValue> features, ActivityType type) =>
        FeatureCatalog.Find(features, FeatureCatalog.CountTotal(type))?.Number ?? 0;

    private static double Count30d(IReadOnlyList<FeatureValue> features, ActivityType type) =>
        FeatureCatalog.Find(features, FeatureCatalog.Count30d(type))?.Number ?? 0;
}
