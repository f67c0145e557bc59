
namespace LeadScoring.Grains.Interfaces;

/// <summary>How a model did on the labelled leads it was judged on.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ModelEvaluation")]
public sealed record ModelEvaluation(
    [property: Id(0)] string Version,
    [property: Id(1)] int Rows,
    [property: Id(2)] double Auc,
    [property: Id(3)] double Ece);

[GenerateSerializer, Alias("LeadScoring.RetrainingOutcome")]
public enum RetrainingOutcome
{
    /// <summary>The challenger won and is the champion now.</summary>
    Promoted = 0,

    /// <summary>The challenger is registered but did not win.</summary>
    Candidate = 1,

    /// <summary>Nothing was trained, for the reason given.</summary>
    Skipped = 2,

    Failed = 3,
}

/// <summary>One retraining: why it ran, what was compared and what was decided.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.RetrainingDecision")]
public sealed record RetrainingDecision(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Trigger,
    [property: Id(2)] RetrainingOutcome Outcome,
    [property: Id(3)] string Explanation,
    [property: Id(4)] ModelEvaluation? Champion,
    [property: Id(5)] ModelEvaluation? Challenger);

[GenerateSerializer, Immutable, Alias("LeadScoring.RetrainingStatus")]
public sealed record RetrainingStatus(
    [property: Id(0)] bool Running,
    [property: Id(1)] IReadOnlyList<RetrainingDecision> Decisions);
