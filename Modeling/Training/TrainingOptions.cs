using System.Text.Json.Serialization;

namespace LeadScoring.Modeling.Training;

[JsonConverter(typeof(JsonStringEnumConverter<BlendMode>))]
public enum BlendMode
{
    /// <summary>Blend weights fitted on out-of-fold predictions (logistic stacking, which also calibrates).</summary>
    Fitted,

    /// <summary>The original design's 0.4/0.4/0.2 average of calibrated probabilities, kept for comparison.</summary>
    Fixed,
}

/// <summary>What to train on and how; mirrors the options of ./run.sh train.</summary>
public sealed record TrainingOptions
{
    public required string Label { get; init; }

    /// <summary>The label value that counts as converted; inferred (1/yes/true/won/converted) when null.</summary>
    public string? Positive { get; init; }

    /// <summary>When set, only rows with this label value are negatives; rows with other values are left out (open deals).</summary>
    public string? Negative { get; init; }

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public bool ExcludeLeaky { get; init; }

    /// <summary>Hold out the latest 20% by this column instead of a stratified random 20%.</summary>
    public string? TimeColumn { get; init; }

    public string? FairnessColumn { get; init; }

    public SchemaFile? Schema { get; init; }

    /// <summary>Won deals' value: the target of the deal-size model. Inferred from common names when null.</summary>
    public string? DealValueColumn { get; init; }

    /// <summary>Start and close dates: the time-to-close model's target is the days between them.</summary>
    public string? StartDateColumn { get; init; }

    public string? CloseDateColumn { get; init; }

    public BlendMode Blend { get; init; } = BlendMode.Fitted;

    public int Folds { get; init; } = 5;

    public int Seed { get; init; } = 42;

    /// <summary>Wall-clock budget of the hyperparameter search; the first candidate always runs.</summary>
    public TimeSpan SearchBudget { get; init; } = TimeSpan.FromSeconds(20);

    public const double LeakageAucThreshold = 0.9;
    public const int MinimumRows = 50;
    public const int MinimumPerClass = 10;
    public const double HoldoutFraction = 0.2;
}

/// <summary>A training input the trainer cannot use; the message names the problem in one line.</summary>
/// <param name="option">The option at fault ("label", "positive", ...), when one is.</param>
public sealed class TrainingInputException(string message, string? option = null) : Exception(message)
{
    public string? Option { get; } = option;
}

public sealed record TrainingProgress(string Stage, int Percent);
