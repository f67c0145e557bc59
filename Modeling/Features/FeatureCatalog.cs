using System.Collections.Frozen;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Features;

/// <summary>A feature the pipeline produces: its canonical name, dimension and whether it is categorical.</summary>
public sealed record FeatureDefinition(string Name, FeatureDimension Dimension, bool IsCategorical = false);

/// <summary>The canonical feature names of the activity pipeline and the dimension each belongs to.</summary>
public static class FeatureCatalog
{
    public const string ActivityCountTotal = "activity_count_total";
    public const string ActivityCount7d = "activity_count_7d";
    public const string ActivityCount30d = "activity_count_30d";
    public const string TimeOnSiteSeconds = "time_on_site_seconds";
    public const string VisitCount = "visit_count";
    public const string PagesPerVisit = "pages_per_visit";
    public const string LastActivityType = "last_activity_type";
    public const string EmailResponseRate = "email_response_rate";
    public const string EngagementDecayed = "engagement_decayed";
    public const string DaysSinceCreated = "days_since_created";
    public const string DaysSinceLastActivity = "days_since_last_activity";
    public const string ActivityMomentum = "activity_momentum";

    private static readonly FeatureDimension[] DimensionByType =
    [
        FeatureDimension.Behavioral,  // page_view
        FeatureDimension.Engagement,  // email_open
        FeatureDimension.Engagement,  // email_click
        FeatureDimension.Engagement,  // email_reply
        FeatureDimension.Quality,     // email_bounce
        FeatureDimension.Quality,     // unsubscribe
        FeatureDimension.Behavioral,  // form_submit
        FeatureDimension.Behavioral,  // download
        FeatureDimension.Engagement,  // webinar_attended
        FeatureDimension.Interaction, // call
        FeatureDimension.Interaction, // meeting
        FeatureDimension.Interaction, // demo_request
        FeatureDimension.Engagement,  // social_engagement
        FeatureDimension.Interaction, // referral
    ];

    // Intent carried by one activity in the decayed engagement sum; deliverability failures and
    // opt-outs count against the lead.
    private static readonly double[] EngagementWeightByType =
    [
        1,  // page_view
        1,  // email_open
        2,  // email_click
        4,  // email_reply
        -2, // email_bounce
        -5, // unsubscribe
        4,  // form_submit
        3,  // download
        5,  // webinar_attended
        4,  // call
        6,  // meeting
        8,  // demo_request
        1,  // social_engagement
        5,  // referral
    ];

    public static FeatureDimension DimensionOf(ActivityType type) => DimensionByType[(int)type];

    public static double EngagementWeight(ActivityType type) => EngagementWeightByType[(int)type];

    public static string CountTotal(ActivityType type) => CountTotalNames[(int)type];

    public static string Count7d(ActivityType type) => Count7dNames[(int)type];

    public static string Count30d(ActivityType type) => Count30dNames[(int)type];

    // Built once: these names are asked for on every rescore.
    private static readonly string[] CountTotalNames = NamesPerType("count_total");
    private static readonly string[] Count7dNames = NamesPerType("count_7d");
    private static readonly string[] Count30dNames = NamesPerType("count_30d");

    private static string[] NamesPerType(string suffix) => [.. Enum.GetValues<ActivityType>().Select(type => $"{type.ToWireName()}_{suffix}")];

    /// <summary>Every feature <see cref="FeatureEngine.Compute"/> returns, in the order it returns them.</summary>
    public static IReadOnlyList<FeatureDefinition> All { get; } = BuildAll();

    private static readonly FrozenDictionary<string, int> Positions =
        All.Select((definition, index) => (definition.Name, index)).ToFrozenDictionary(p => p.Name, p => p.index, StringComparer.Ordinal);

    /// <summary>The feature's position in <see cref="All"/> (and in what <see cref="FeatureEngine.Compute"/> returns), or -1.</summary>
    public static int IndexOf(string name) => Positions.TryGetValue(name, out var index) ? index : -1;

    /// <summary>The named feature of a lead's computed features, or null when it has none of that name.</summary>
    public static FeatureValue? Find(IReadOnlyList<FeatureValue> features, string name)
    {
        var index = IndexOf(name);
        return index >= 0 && index < features.Count && features[index].Name == name
            ? features[index]
            : features.FirstOrDefault(f => f.Name == name);
    }

    private static List<FeatureDefinition> BuildAll()
    {
        var all = new List<FeatureDefinition>();
        foreach (var type in Enum.GetValues<ActivityType>())
        {
            var dimension = DimensionOf(type);
            all.Add(new(CountTotal(type), dimension));
            all.Add(new(Count7d(type), dimension));
            all.Add(new(Count30d(type), dimension));
        }

        all.Add(new(ActivityCountTotal, FeatureDimension.Behavioral));
        all.Add(new(ActivityCount7d, FeatureDimension.Behavioral));
        all.Add(new(ActivityCount30d, FeatureDimension.Behavioral));
        all.Add(new(TimeOnSiteSeconds, FeatureDimension.Behavioral));
        all.Add(new(VisitCount, FeatureDimension.Behavioral));
        all.Add(new(PagesPerVisit, FeatureDimension.Behavioral));
        all.Add(new(LastActivityType, FeatureDimension.Behavioral, IsCategorical: true));
        all.Add(new(EmailResponseRate, FeatureDimension.Engagement));
        all.Add(new(EngagementDecayed, FeatureDimension.Engagement));
        all.Add(new(DaysSinceCreated, FeatureDimension.Temporal));
        all.Add(new(DaysSinceLastActivity, FeatureDimension.Temporal));
        all.Add(new(ActivityMomentum, FeatureDimension.Temporal));
        return all;
    }
}
