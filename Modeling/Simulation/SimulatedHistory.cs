using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Simulation;

/// <summary>
/// Training data for a workspace that has none yet: <see cref="SyntheticCrm"/> leads turned into the
/// point-in-time snapshots their outcomes would have stored (features as of the outcome, never after), so a
/// fresh installation scores out of the box. Models trained on it say so in their report.
/// </summary>
public static class SimulatedHistory
{
    public const string DataSource = "simulated history: synthetic leads from SyntheticCrm, not real data; train on your own outcomes or a CRM export and promote that model";

    public static IReadOnlyList<TrainingSnapshot> Snapshots(string workspace, int leads, int seed, DateTimeOffset origin, FeatureOptions options)
    {
        var snapshots = new List<TrainingSnapshot>();
        foreach (var lead in SyntheticCrm.Generate(leads, seed, origin))
        {
            if (lead.Outcome is not { } outcome)
            {
                continue;
            }

            var recordedAt = outcome.ClosedAt ?? origin;
            var aggregates = new ActivityAggregates();
            var before = lead.Activities.Where(a => a.OccurredAt <= recordedAt).ToList();
            foreach (var activity in before)
            {
                FeatureEngine.Apply(aggregates, activity, options, recordedAt);
            }

            var createdAt = before.Count > 0 ? before[0].OccurredAt : recordedAt;
            snapshots.Add(new TrainingSnapshot(
                workspace, lead.LeadId, recordedAt, outcome.Converted, outcome.DealValue, outcome.ClosedAt,
                lead.Attributes.ToDictionary(a => a.Key, a => a.Value.ToString()),
                FeatureEngine.Compute(aggregates, createdAt, recordedAt, options)));
        }

        return snapshots;
    }

    /// <summary>Trains the ensemble on <paramref name="leads"/> simulated leads (about 60% of them have an outcome).</summary>
    public static TrainingResult Train(string workspace, int leads, int seed, DateTimeOffset origin, FeatureOptions features, IProgress<TrainingProgress>? progress = null)
    {
        var table = TrainingSnapshot.ToTable(Snapshots(workspace, leads, seed, origin, features));
        var result = new EnsembleTrainer(TrainingSnapshot.HistoryOptions(new TrainingOptions { Label = TrainingSnapshot.LabelColumn, Seed = seed }), progress).Train(table);
        return result with { Report = result.Report with { DataSource = DataSource } };
    }
}
