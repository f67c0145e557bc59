namespace LeadScoring.Grains.Drift;

/// <summary>When drift is called low, medium or high (configurable per workspace).</summary>
public sealed class DriftThresholds
{
    /// <summary>PSI at or above which a feature (or the score) has drifted low / medium / high.</summary>
    public double Low { get; set; } = 0.1;

    public double Medium { get; set; } = 0.2;

    public double High { get; set; } = 0.25;

    /// <summary>The workspace is at high drift when at least this share of the features drifted (low or above).</summary>
    public double HighShareOfFeatures { get; set; } = 0.5;

    /// <summary>The workspace is at high drift when the realized AUC is this far below the model's holdout AUC.</summary>
    public double AucDrop { get; set; } = 0.05;
}

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
