using LeadScoring.Modeling.Drift;

namespace LeadScoring.Grains.Options;

/// <summary>Drift detection settings (configuration section "LeadScoring:Drift").</summary>
public sealed class DriftOptions
{
    public const string SectionName = "LeadScoring:Drift";

    /// <summary>How often each silo's pre-aggregator sends its counts to the drift grain.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Observations a window needs before its features are judged (below it every level is none).</summary>
    public long MinimumObservations { get; set; } = 200;

    /// <summary>How many recent outcomes the realized AUC and accuracy are computed on.</summary>
    public int OutcomeWindow { get; set; } = 1000;

    /// <summary>Outcomes (of both classes together) needed before the realized AUC can raise an alert.</summary>
    public int MinimumOutcomes { get; set; } = 50;

    public DriftThresholds Thresholds { get; set; } = new();

    public Dictionary<string, DriftThresholds> WorkspaceThresholds { get; set; } = new(StringComparer.Ordinal);

    public DriftThresholds ThresholdsOf(string workspace) => WorkspaceThresholds.GetValueOrDefault(workspace) ?? Thresholds;
}
