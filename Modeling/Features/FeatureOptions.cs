namespace LeadScoring.Modeling.Features;

/// <summary>Tunables of the feature pipeline (configuration section "LeadScoring:Features").</summary>
public sealed class FeatureOptions
{
    public const string SectionName = "LeadScoring:Features";

    /// <summary>After this long an activity counts half as much toward the decayed engagement sum.</summary>
    public TimeSpan EngagementHalfLife { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Page views further apart than this start a new visit.</summary>
    public TimeSpan VisitGap { get; set; } = TimeSpan.FromMinutes(30);
}
