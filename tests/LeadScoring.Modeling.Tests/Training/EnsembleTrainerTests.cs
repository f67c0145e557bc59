using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Training;

/// <summary>
/// One training run on the crafted export per test run, shared by every test class that inspects it (a class
/// fixture would train it again for each class).
/// </summary>
public sealed class TrainedSyntheticModel
{
    private static readonly Lazy<(CsvTable Table, TrainingResult Result)> Trained = new(() =>
    {
        var table = SyntheticLeads.Create(800);
        return (table, new EnsembleTrainer(new TrainingOptions { Label = "converted", FairnessColumn = "industry", SearchBudget = TimeSpan.Zero }).Train(table));
    });

    public CsvTable Table => Trained.Value.Table;

    public TrainingResult Result => Trained.Value.Result;
}

public class EnsembleTrainerTests(TrainedSyntheticModel trained) : IClassFixture<TrainedSyntheticModel>
{
    [Fact]
    public void The_planted_leaky_column_is_flagged_and_identifiers_are_not_features()
    {
        var report = trained.Result.Report;

        var warning = Assert.Single(report.LeakageWarnings);
        Assert.Equal("status", warning.Column);
        Assert.True(warning.SingleFeatureAuc >= 0.9);
        Assert.DoesNotContain(report.Features, f => f.StartsWith("prospect_id", StringComparison.Ordinal) || f.StartsWith("lead_number", StringComparison.Ordinal));
        Assert.Equal("yes", report.PositiveLabel);
    }

    [Fact]
    public void Exclude_leaky_drops_the_flagged_column()
    {
        var report = new EnsembleTrainer(new TrainingOptions { Label = "converted", ExcludeLeaky = true, SearchBudget = TimeSpan.Zero })
            .Train(trained.Table).Report;

        Assert.DoesNotContain(report.Features, f => f.StartsWith("status", StringComparison.Ordinal));
        Assert.Contains(report.ExcludedColumns, e => e.Column == "status" && e.Reason.StartsWith("leaky", StringComparison.Ordinal));
        Assert.InRange(report.Holdout.Auc, 0.6, 0.95); // the real signal (visits, industry) remains
    }

    [Fact]
    public void The_report_is_complete_and_internally_consistent()
    {
        var report = trained.Result.Report;

        Assert.Equal(800, report.Rows);
        Assert.Equal(report.Rows, report.TrainRows + report.HoldoutRows);
        Assert.Equal(5, report.CrossValidation.Folds);
        Assert.InRange(report.Holdout.Auc, 0.9, 1.0);
        Assert.InRange(report.Holdout.Ece, 0, 0.2);
        Assert.Equal(3, report.Models.Ensemble.Weights.Count);
        Assert.Equal(1.0, report.Models.Ensemble.Weights.Values.Sum(Math.Abs), 3);
        Assert.NotNull(report.Fairness);
        Assert.Equal(5, report.Fairness!.Groups.Count); // four industries and the missing ones
        Assert.InRange(report.Fairness.DemographicParityDifference, 0, 1);
        Assert.Equal(64, report.DataFingerprint.Length);
    }

    [Fact]
    public void A_saved_and_reloaded_model_predicts_identically()
    {
        var artifact = trained.Result.Artifact;
        var original = new ModelPredictor(artifact);
        var reloaded = new ModelPredictor(ModelArtifact.Deserialize(artifact.Serialize()));
        var rows = Enumerable.Range(0, 200).ToList();

        var expected = original.Probabilities(original.Encoder.EncodeRows(trained.Table, rows));
        var actual = reloaded.Probabilities(reloaded.Encoder.EncodeRows(trained.Table, rows));

        Assert.Equal(expected, actual);
        Assert.All(actual, p => Assert.InRange(p, 0, 1));
        Assert.Equal(artifact.Schema.Select(s => s.Name), reloaded.Artifact.Schema.Select(s => s.Name));
    }

    [Fact]
    public void References_describe_the_training_distribution()
    {
        var references = trained.Result.Artifact.References.ToDictionary(r => r.Column);

        Assert.Equal(1.0, references["visits"].BinShares!.Sum(), 3);
        Assert.Equal(1.0, references["status"].Categories!.Values.Sum(), 3);
        Assert.Equal(1.0, trained.Result.Artifact.ScoreHistogram.Sum(), 3);
    }
}
