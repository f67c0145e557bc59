namespace LeadScoring.Grains.Options;

/// <summary>Automatic retraining settings (configuration section "LeadScoring:Retraining").</summary>
public sealed class RetrainingOptions
{
    public const string SectionName = "LeadScoring:Retraining";

    /// <summary>How often each workspace retrains on its own (a reminder; at least one minute).</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How much higher the challenger's AUC must be on the latest labelled leads to replace the champion.</summary>
    public double AucMargin { get; set; } = 0.005;

    /// <summary>Slack on "calibration not worse": the challenger's ECE may exceed the champion's by at most this.</summary>
    public double EceTolerance { get; set; } = 0.0;

    /// <summary>Time the trainer may spend searching boosted-tree settings.</summary>
    public TimeSpan SearchBudget { get; set; } = TimeSpan.FromSeconds(20);
}
