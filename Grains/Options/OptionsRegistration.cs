using LeadScoring.Modeling.Drift;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Grains.Options;

/// <summary>
/// Binds each "LeadScoring:&lt;Section&gt;" the silo reads to its options class and validates it when the silo
/// starts: a bad value stops the start with a message naming the setting, instead of surfacing later in a grain.
/// </summary>
public static class OptionsRegistration
{
    public static IServiceCollection AddLeadScoringOptions(this IServiceCollection services)
    {
        services.AddOptions<FeatureOptions>().BindConfiguration(FeatureOptions.SectionName)
            .Validate(o => o.EngagementHalfLife > TimeSpan.Zero, Positive(FeatureOptions.SectionName, nameof(FeatureOptions.EngagementHalfLife)))
            .Validate(o => o.VisitGap > TimeSpan.Zero, Positive(FeatureOptions.SectionName, nameof(FeatureOptions.VisitGap)))
            .ValidateOnStart();
        services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.SectionName)
            .Validate(o => o.ChampionRefresh > TimeSpan.Zero, Positive(ScoringOptions.SectionName, nameof(ScoringOptions.ChampionRefresh)))
            .Validate(o => Ordered(o.Grades) && o.WorkspaceGrades.Values.All(Ordered),
                $"{ScoringOptions.SectionName}:Grades (and each WorkspaceGrades entry) must hold 0 <= C <= B <= A <= 100")
            .ValidateOnStart();
        services.AddOptions<DriftOptions>().BindConfiguration(DriftOptions.SectionName)
            .Validate(o => o.FlushInterval > TimeSpan.Zero, Positive(DriftOptions.SectionName, nameof(DriftOptions.FlushInterval)))
            .Validate(o => o.MinimumObservations > 0, Positive(DriftOptions.SectionName, nameof(DriftOptions.MinimumObservations)))
            .Validate(o => o.OutcomeWindow > 0, Positive(DriftOptions.SectionName, nameof(DriftOptions.OutcomeWindow)))
            .Validate(o => o.MinimumOutcomes > 0, Positive(DriftOptions.SectionName, nameof(DriftOptions.MinimumOutcomes)))
            .Validate(o => Ordered(o.Thresholds) && o.WorkspaceThresholds.Values.All(Ordered),
                $"{DriftOptions.SectionName}:Thresholds (and each WorkspaceThresholds entry) must hold 0 < Low <= Medium <= High, shares and drops between 0 and 1")
            .ValidateOnStart();
        services.AddOptions<RetrainingOptions>().BindConfiguration(RetrainingOptions.SectionName)
            .Validate(o => o.Period > TimeSpan.Zero, Positive(RetrainingOptions.SectionName, nameof(RetrainingOptions.Period)))
            .Validate(o => o.AucMargin >= 0 && o.EceTolerance >= 0,
                $"{RetrainingOptions.SectionName}:AucMargin and EceTolerance must not be negative")
            .Validate(o => o.SearchBudget >= TimeSpan.Zero, $"{RetrainingOptions.SectionName}:SearchBudget must not be negative")
            .ValidateOnStart();
        services.AddOptions<PersonalDataOptions>().BindConfiguration(PersonalDataOptions.SectionName)
            .Validate(o => o.Attributes.All(a => !string.IsNullOrWhiteSpace(a)) && o.WorkspaceAttributes.Values.All(list => list.All(a => !string.IsNullOrWhiteSpace(a))),
                $"{PersonalDataOptions.SectionName}:Attributes and WorkspaceAttributes must not hold empty names")
            .ValidateOnStart();
        services.AddOptions<DirectoryCacheOptions>().BindConfiguration(DirectoryCacheOptions.SectionName)
            .Validate(o => o.DirectoryCacheSize > 0, Positive(DirectoryCacheOptions.SectionName, nameof(DirectoryCacheOptions.DirectoryCacheSize)))
            .ValidateOnStart();
        services.AddOptions<EventOptions>().BindConfiguration(EventOptions.SectionName)
            .Validate(o => o.Retention > TimeSpan.Zero, Positive(EventOptions.SectionName, nameof(EventOptions.Retention)))
            .Validate(o => o.RelayLease >= TimeSpan.FromSeconds(1), $"{EventOptions.SectionName}:RelayLease must be at least 1 second")
            .Validate(o => o.RelayIdlePoll > TimeSpan.Zero, Positive(EventOptions.SectionName, nameof(EventOptions.RelayIdlePoll)))
            .Validate(o => o.RelayBatch > 0, Positive(EventOptions.SectionName, nameof(EventOptions.RelayBatch)))
            .ValidateOnStart();
        services.AddOptions<LeadIndexOptions>().BindConfiguration(LeadIndexOptions.SectionName)
            .Validate(o => o.CursorLifetime > TimeSpan.Zero, Positive(LeadIndexOptions.SectionName, nameof(LeadIndexOptions.CursorLifetime)))
            .Validate(o => o.Attributes.Concat(o.WorkspaceAttributes.Values.SelectMany(a => a)).All(a => !string.IsNullOrWhiteSpace(a)),
                $"{LeadIndexOptions.SectionName}:Attributes and WorkspaceAttributes must not hold empty names")
            .ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .Validate(o => o.Timeout > TimeSpan.Zero, Positive(WebhookOptions.SectionName, nameof(WebhookOptions.Timeout)))
            .Validate(o => o.Retries() is not null, $"{WebhookOptions.SectionName}:RetrySchedule must be comma-separated non-negative times (hh:mm:ss)")
            .Validate(o => o.DisableAfter > TimeSpan.Zero, Positive(WebhookOptions.SectionName, nameof(WebhookOptions.DisableAfter)))
            .Validate(o => o.MaxConcurrentDeliveries > 0, Positive(WebhookOptions.SectionName, nameof(WebhookOptions.MaxConcurrentDeliveries)))
            .ValidateOnStart();
        return services;
    }

    private static string Positive(string section, string setting) => $"{section}:{setting} must be greater than zero";

    private static bool Ordered(GradeThresholds grades) => grades.C >= 0 && grades.C <= grades.B && grades.B <= grades.A && grades.A <= 100;

    private static bool Ordered(DriftThresholds thresholds) =>
        thresholds.Low > 0 && thresholds.Low <= thresholds.Medium && thresholds.Medium <= thresholds.High
        && thresholds.HighShareOfFeatures is > 0 and <= 1 && thresholds.AucDrop is > 0 and <= 1;
}
