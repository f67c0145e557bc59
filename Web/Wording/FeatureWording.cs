using System.Globalization;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Web.Wording;

/// <summary>
/// Feature names and values in the words a salesperson reads: "Page views in the last 30 days: 12", not
/// "page_view_count_30d = 12". A workspace's own attributes keep their names as exported, snake_case made readable.
/// </summary>
public static class FeatureWording
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private static readonly Dictionary<string, string> Fixed = new(StringComparer.Ordinal)
    {
        ["activity_count_total"] = "Activities in all",
        ["activity_count_7d"] = "Activities in the last 7 days",
        ["activity_count_30d"] = "Activities in the last 30 days",
        ["time_on_site_seconds"] = "Time on site",
        ["visit_count"] = "Visits",
        ["pages_per_visit"] = "Pages per visit",
        ["last_activity_type"] = "Last activity",
        ["email_response_rate"] = "E-mail response rate",
        ["engagement_decayed"] = "Recent engagement",
        ["days_since_created"] = "Days since the lead was created",
        ["days_since_last_activity"] = "Days since the last activity",
        ["activity_momentum"] = "Activity momentum (last 7 days against the 30)",
    };

    private static readonly string[] Plurals =
    [
        "Page views", "E-mail opens", "E-mail clicks", "E-mail replies", "Bounced e-mails", "Unsubscribes", "Forms submitted",
        "Downloads", "Webinars attended", "Calls", "Meetings", "Demo requests", "Social engagements", "Referrals",
    ];

    private static readonly string[] Singulars =
    [
        "Page view", "E-mail open", "E-mail click", "E-mail reply", "Bounced e-mail", "Unsubscribe", "Form submitted",
        "Download", "Webinar attended", "Call", "Meeting", "Demo request", "Social engagement", "Referral",
    ];

    /// <summary>What the feature measures, as a label.</summary>
    public static string Name(string feature)
    {
        if (Fixed.TryGetValue(feature, out var name))
        {
            return name;
        }

        foreach (var (suffix, period) in (ReadOnlySpan<(string, string)>)[("_count_total", " in all"), ("_count_7d", " in the last 7 days"), ("_count_30d", " in the last 30 days")])
        {
            if (feature.EndsWith(suffix, StringComparison.Ordinal) && ActivityTypeNames.TryParse(feature[..^suffix.Length], out var type))
            {
                return Plurals[(int)type] + period;
            }
        }

        return Readable(feature);
    }

    /// <summary>The feature's value as shown beside its name; "unknown" when the lead has none.</summary>
    public static string Value(string feature, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "unknown";
        }

        if (feature == "last_activity_type")
        {
            return ActivityTypeNames.TryParse(value, out var type) ? Singulars[(int)type] : value;
        }

        if (!double.TryParse(value, NumberStyles.Float, Culture, out var number))
        {
            return value;
        }

        return feature switch
        {
            "time_on_site_seconds" => Duration(number),
            "email_response_rate" => number.ToString("0%", Culture),
            "days_since_created" or "days_since_last_activity" => $"{number.ToString("0", Culture)} {(Math.Round(number) == 1 ? "day" : "days")}",
            _ => number.ToString("#,0.##", Culture),
        };
    }

    /// <summary>The name of an activity type as shown in a timeline.</summary>
    public static string Activity(ActivityType type) => Singulars[(int)type];

    /// <summary>A reason for a score: "Page views in the last 30 days: 12".</summary>
    public static string Reason(string feature, string? value) => $"{Name(feature)}: {Value(feature, value)}";

    public static string Dimension(FeatureDimension dimension) => dimension switch
    {
        FeatureDimension.Behavioral => "Behaviour",
        FeatureDimension.Engagement => "Engagement",
        FeatureDimension.Demographic => "Fit",
        FeatureDimension.Temporal => "Timing",
        FeatureDimension.Interaction => "Interaction",
        _ => "Data quality",
    };

    private static string Duration(double seconds) =>
        seconds < 90 ? $"{seconds.ToString("0", Culture)} s"
        : seconds < 5400 ? $"{(seconds / 60).ToString("0", Culture)} min"
        : $"{(seconds / 3600).ToString("0.#", Culture)} h";

    /// <summary>"lead_source" reads "Lead source", "country" "Country"; a name as exported ("Lead Origin", "GDP") stays as it is.</summary>
    private static string Readable(string name)
    {
        if (name.Any(char.IsUpper))
        {
            return name;
        }

        var words = name.Replace('_', ' ').Trim();
        return words.Length == 0 ? name : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
