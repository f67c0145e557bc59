namespace LeadScoring.Modeling.Drift;

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
