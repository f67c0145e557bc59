using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;

namespace LeadScoring.Modeling.Training;

/// <summary>
/// Guesses a column's scoring dimension from its name. Activity aggregates keep their catalog dimension;
/// anything not recognized is demographic (who the lead is). A schema file overrides every guess.
/// </summary>
public static class DimensionHeuristics
{
    private static readonly (FeatureDimension Dimension, string[] Words)[] Rules =
    [
        (FeatureDimension.Quality, ["quality", "tag", "profile", "bounce", "unsubscrib", "do not", "donot", "score", "index", "status"]),
        (FeatureDimension.Interaction, ["call", "meeting", "demo", "agent", "manager", "contact", "reply", "referr", "recommend", "sales"]),
        (FeatureDimension.Engagement, ["email", "mail", "webinar", "newsletter", "social", "forum", "update", "subscri", "advert", "magazine", "newspaper"]),
        (FeatureDimension.Behavioral, ["visit", "page", "time spent", "session", "download", "click", "activity", "search", "origin", "source", "channel"]),
        (FeatureDimension.Temporal, ["date", "day", "month", "year", "quarter", "week", "since", "age", "recency"]),
    ];

    public static (FeatureDimension Dimension, FeatureSource Source) Guess(string column)
    {
        var aggregate = FeatureCatalog.All.FirstOrDefault(f => f.Name == column);
        if (aggregate is not null)
        {
            return (aggregate.Dimension, FeatureSource.Activity);
        }

        var name = column.ToLowerInvariant().Replace('_', ' ');
        foreach (var (dimension, words) in Rules)
        {
            if (words.Any(name.Contains))
            {
                return (dimension, FeatureSource.Attribute);
            }
        }

        return (FeatureDimension.Demographic, FeatureSource.Attribute);
    }
}
