using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Modeling.Training;

/// <summary>
/// Whether a retrained challenger replaces the champion. Both are judged on the most recent 20% of the
/// workspace's labelled leads by the time their outcome was recorded; the challenger is trained on the older
/// 80% only, so it has never seen them (the champion may have: the comparison errs on the champion's side).
/// </summary>
public static class ChallengerEvaluation
{
    public const double EvaluationShare = 0.2;

    /// <summary>Why there is too little labelled data to retrain, or null.</summary>
    public static string? TooLittleData(IReadOnlyList<TrainingSnapshot> snapshots)
    {
        var positives = snapshots.Count(s => s.Converted);
        var negatives = snapshots.Count - positives;
        return positives < TrainingOptions.MinimumPerClass || negatives < TrainingOptions.MinimumPerClass
            ? $"too little labelled data: {positives} converted and {negatives} not converted; at least {TrainingOptions.MinimumPerClass} of each are needed"
            : null;
    }

    /// <summary>The older 80% to train on and the latest 20% to judge on, by recording time.</summary>
    public static (IReadOnlyList<TrainingSnapshot> Training, IReadOnlyList<TrainingSnapshot> Evaluation) SplitByTime(IReadOnlyList<TrainingSnapshot> snapshots)
    {
        var ordered = snapshots.OrderBy(s => s.RecordedAt).ThenBy(s => s.LeadId, StringComparer.Ordinal).ToList();
        var evaluationRows = Math.Max(1, (int)Math.Round(ordered.Count * EvaluationShare));
        return (ordered[..^evaluationRows], ordered[^evaluationRows..]);
    }

    /// <summary>The model's AUC and calibration error on the snapshots, each encoded as a live lead would be.</summary>
    public static ModelEvaluation Evaluate(ChampionModel model, IReadOnlyList<TrainingSnapshot> snapshots)
    {
        var probabilities = new List<double>(snapshots.Count);
        foreach (var snapshot in snapshots)
        {
            var attributes = snapshot.Attributes.ToDictionary(a => a.Key, a => LeadAttributeValue.OfText(a.Value), StringComparer.Ordinal);
            probabilities.Add(model.Scoring.Probability(model.Encode(attributes, snapshot.Features).Vector));
        }

        var labels = snapshots.Select(s => s.Converted).ToList();
        return new ModelEvaluation(model.Version, snapshots.Count,
            ClassificationMetrics.AreaUnderCurve(probabilities, labels), ClassificationMetrics.ExpectedCalibrationError(probabilities, labels));
    }

    /// <summary>Promote only when the challenger's AUC is higher by the margin and its calibration is not worse.</summary>
    public static (bool Promote, string Explanation) Decide(ModelEvaluation champion, ModelEvaluation challenger, double aucMargin, double eceTolerance)
    {
        var gain = challenger.Auc - champion.Auc;
        if (gain <= aucMargin)
        {
            return (false, $"challenger AUC {challenger.Auc:0.0000} is not above the champion's {champion.Auc:0.0000} by more than {aucMargin}");
        }

        return challenger.Ece > champion.Ece + eceTolerance
            ? (false, $"challenger AUC is higher by {gain:0.0000} but its calibration error {challenger.Ece:0.0000} is worse than the champion's {champion.Ece:0.0000}")
            : (true, $"challenger AUC {challenger.Auc:0.0000} beats the champion's {champion.Auc:0.0000} by {gain:0.0000}, calibration error {challenger.Ece:0.0000} vs {champion.Ece:0.0000}");
    }
}
