using System.Collections.Concurrent;
using System.Globalization;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Scoring;

/// <summary>The rule-based parts of a score: opportunities, recommendations, going-cold risk and trend.</summary>
public static class LeadInsights
{
    /// <summary>After this many quiet days the going-cold risk is 1 − 1/e (about 0.63).</summary>
    public const double ColdAfterDays = 14;

    // One text per attribute column, made once: every rescore of a lead with a gap in its profile names it. Bounded
    // by the attribute columns of the models this silo has loaded.
    private static readonly ConcurrentDictionary<string, string> CompleteProfile = new(StringComparer.Ordinal);

    /// <summary>A probability this far above (below) the mean of the previous scores is a rising (falling) trend.</summary>
    public const double TrendThreshold = 0.02;

    public const int TrendWindow = 5;

    // "Tuesday 14:00 UTC" for each weekday and hour, indexed by day × 24 + hour.
    private static readonly string[] ContactSlots = [.. Enumerable.Range(0, 7 * 24).Select(slot =>
        string.Create(CultureInfo.InvariantCulture, $"{(DayOfWeek)(slot / 24)} {slot % 24:00}:00 UTC"))];

    /// <param name="missing">Per model column: the lead has no value for it.</param>
    public static IReadOnlyList<string> Opportunities(ChampionModel model, bool[] missing, IReadOnlyList<FeatureValue> features)
    {
        var opportunities = new List<string>(4);
        for (var c = 0; c < model.Columns.Count && opportunities.Count < 2; c++)
        {
            if (model.Columns[c].Source == FeatureSource.Attribute && missing[c])
            {
                opportunities.Add(CompleteProfile.GetOrAdd(model.Columns[c].Column, column => $"Complete the profile: {column} is unknown and the model uses it"));
            }
        }

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

    /// <summary>
    /// The next best action, and from the lead's responsive recent activities (not bounces or unsubscribes): the
    /// channel with the most engagement weight (ties by name), the weekday and hour (UTC) it was active in most
    /// often (ties: the most recent), and up to three distinct pieces of content it took (content ids first,
    /// then the pages it viewed). One pass over the activities: every rescore computes this.
    /// </summary>
    public static ScoreRecommendations Recommend(double score, GradeThresholds grades, IReadOnlyList<RecentActivity> recent, IReadOnlyList<FeatureValue> features)
    {
        var channels = new List<(string Channel, double Weight)>(4);
        Span<int> perSlot = stackalloc int[ContactSlots.Length];
        Span<long> lastInSlot = stackalloc long[ContactSlots.Length];
        var content = new List<string>(3);
        // Three distinct pages are enough: at most two of them can repeat a content id when one is still wanted.
        List<string>? pages = null;
        for (var i = 0; i < recent.Count; i++)
        {
            var activity = recent[i];
            if (activity.Type is ActivityType.EmailBounce or ActivityType.Unsubscribe)
            {
                continue;
            }

            var through = activity.Channel ?? ChannelOf(activity.Type);
            var known = 0;
            while (known < channels.Count && !string.Equals(channels[known].Channel, through, StringComparison.OrdinalIgnoreCase))
            {
                known++;
            }

            if (known == channels.Count)
            {
                channels.Add((through, 0));
            }

            channels[known] = (channels[known].Channel, channels[known].Weight + FeatureCatalog.EngagementWeight(activity.Type));

            var at = activity.OccurredAt.UtcDateTime;
            var slot = (int)at.DayOfWeek * 24 + at.Hour;
            perSlot[slot]++;
            lastInSlot[slot] = Math.Max(lastInSlot[slot], at.Ticks);

            if (activity.ContentId is { } contentId && content.Count < 3 && !content.Contains(contentId))
            {
                content.Add(contentId);
            }

            if (activity.Type == ActivityType.PageView && activity.Url is { } url && (pages ??= new List<string>(3)).Count < 3 && !pages.Contains(url))
            {
                pages.Add(url);
            }
        }

        foreach (var page in pages ?? [])
        {
            if (content.Count < 3 && !content.Contains(page))
            {
                content.Add(page);
            }
        }

        string? bestChannel = null;
        var bestWeight = double.NegativeInfinity;
        foreach (var (name, weight) in channels)
        {
            if (weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(name, bestChannel) < 0))
            {
                (bestChannel, bestWeight) = (name, weight);
            }
        }

        var bestSlot = -1;
        for (var slot = 0; slot < perSlot.Length; slot++)
        {
            if (perSlot[slot] > 0 && (bestSlot < 0 || perSlot[slot] > perSlot[bestSlot]
                || (perSlot[slot] == perSlot[bestSlot] && lastInSlot[slot] > lastInSlot[bestSlot])))
            {
                bestSlot = slot;
            }
        }

        var contactTime = bestSlot < 0 ? null : ContactSlots[bestSlot];
        var via = bestChannel is null ? "" : $" by {bestChannel}";
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
        return new ScoreRecommendations(SharedValues.Text(action), contactTime, bestChannel is null ? null : SharedValues.Text(bestChannel), [.. content.Select(SharedValues.Text)]);
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
    public static ScoreTrend Trend(double probability, IReadOnlyList<double> recentProbabilities)
    {
        if (recentProbabilities.Count == 0)
        {
            return ScoreTrend.Steady;
        }

        var change = probability - recentProbabilities.Take(TrendWindow).Average();
        return change > TrendThreshold ? ScoreTrend.Improving : change < -TrendThreshold ? ScoreTrend.Declining : ScoreTrend.Steady;
    }

    /// <summary>The channel an activity of this type came through when it names none.</summary>
    public static string ChannelOf(ActivityType type) => type switch
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
