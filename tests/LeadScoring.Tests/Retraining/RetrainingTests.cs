using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Modeling.Tests.Scoring;
using LeadScoring.Modeling.Training;
using LeadScoring.Tests.Infrastructure;
using LeadScoring.Tests.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Tests.Retraining;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
public class RetrainingTests
{
    private static readonly RetrainingOptions Defaults = new();

    [Theory]
    [InlineData(0.80, 0.05, 0.81, 0.04, true)] // +0.01 AUC, better calibrated
    [InlineData(0.80, 0.05, 0.804, 0.04, false)] // +0.004: within the 0.005 margin
    [InlineData(0.80, 0.05, 0.85, 0.06, false)] // better ranking, worse calibration
    [InlineData(0.80, 0.05, 0.79, 0.01, false)]
    public void The_challenger_wins_only_by_the_margin_and_without_worse_calibration(double championAuc, double championEce, double challengerAuc, double challengerEce, bool promote)
    {
        var (decided, why) = ChallengerEvaluation.Decide(new("v1", 100, championAuc, championEce), new("v2", 100, challengerAuc, challengerEce), Defaults.AucMargin, Defaults.EceTolerance);
        Assert.True(decided == promote, why);
    }

    [Fact]
    public void The_latest_fifth_by_recording_time_is_held_out()
    {
        var snapshots = Enumerable.Range(0, 50).Select(i => new TrainingSnapshot("w", $"l{i}", SimulatedModels.Origin.AddDays(-i), i % 2 == 0, null, null,
            new Dictionary<string, string>(), [])).ToList();
        var (training, evaluation) = ChallengerEvaluation.SplitByTime(snapshots);
        Assert.Equal(40, training.Count);
        Assert.Equal(10, evaluation.Count);
        Assert.True(evaluation.Min(s => s.RecordedAt) > training.Max(s => s.RecordedAt));
    }

    [Fact]
    public async Task A_change_in_what_converts_is_learned_and_promoted_and_no_change_is_not()
    {
        await using var cluster = await LeadCluster.StartOnNewDatabaseAsync("retraining",
            configure: silo => silo.Services.Configure<RetrainingOptions>(o => o.SearchBudget = TimeSpan.Zero));
        var database = cluster.Database!;

        // Too little labelled data: skipped, with the reason.
        await cluster.SaveSnapshotsAsync(SimulatedHistory.Snapshots("sparse", 20, seed: 30, SimulatedModels.Origin, new FeatureOptions()));
        var sparse = await RetrainAsync(cluster, database, "sparse", champion: null);
        Assert.Equal(RetrainingOutcome.Skipped, sparse.Outcome);
        Assert.Contains("too little labelled data", sparse.Explanation, StringComparison.Ordinal);

        // The same market as the champion was trained on: the challenger, trained on less of it, does not win.
        await cluster.SaveSnapshotsAsync(SimulatedHistory.Snapshots("steady", 500, seed: 32, SimulatedModels.Origin, new FeatureOptions()));
        var steady = await RetrainAsync(cluster, database, "steady", SimulatedModels.First);
        Assert.True(steady.Outcome == RetrainingOutcome.Candidate, steady.Explanation);
        Assert.Equal("v1", (await cluster.Client.GetGrain<IModelRegistryGrain>("steady").List()).Single(m => m.IsChampion).Version);

        // The market turned: now the junior leads convert. The challenger learns it and replaces the champion.
        var turned = SimulatedHistory.Snapshots("turned", 500, seed: 33, SimulatedModels.Origin, new FeatureOptions())
            .Select(s => s with { Converted = s.Attributes["job_seniority"] is "student" or "individual_contributor" or "manager" }).ToList();
        await cluster.SaveSnapshotsAsync(turned);
        var promoted = await RetrainAsync(cluster, database, "turned", SimulatedModels.First);
        Assert.True(promoted.Outcome == RetrainingOutcome.Promoted, promoted.Explanation);
        Assert.True(promoted.Challenger!.Auc > promoted.Champion!.Auc + 0.2, promoted.Explanation);
        Assert.Equal((int)Math.Round(turned.Count * ChallengerEvaluation.EvaluationShare), promoted.Champion.Rows);
        Assert.Equal("v2", (await cluster.Client.GetGrain<IModelRegistryGrain>("turned").List()).Single(m => m.IsChampion).Version);

        // Each decision is in the audit trail too, as the system's.
        Assert.Equal(
            ["sparse model.retrain  rejected", "steady model.retrain model:v2 succeeded", "turned model.promote model:v2 succeeded"],
            await AuditOfSystemAsync(database));
    }

    private static async Task<List<string>> AuditOfSystemAsync(TestDatabase database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT workspace || ' ' || action || ' ' || coalesce(target, '') || ' ' || outcome FROM audit_log WHERE subject = 'system' AND role = 'system' ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>Registers and promotes the champion (when given), runs one retraining job and returns its decision.</summary>
    private static async Task<RetrainingDecision> RetrainAsync(LeadCluster cluster, TestDatabase database, string workspace, TrainingResult? champion)
    {
        if (champion is not null)
        {
            var version = await cluster.RegisterModelAsync(workspace, champion);
            Assert.True(await cluster.Client.GetGrain<IModelRegistryGrain>(workspace).Promote(version, "test"));
        }

        var retraining = cluster.Client.GetGrain<IRetrainingGrain>(workspace);
        if (champion is null)
        {
            Assert.True(await retraining.Start("test"));
        }
        else
        {
            // One job at a time: while the job waits for the labelled leads (the test holds their table), a
            // second start is refused, however fast the job would otherwise be.
            await using var holdSnapshots = await database.LockTableAsync("training_snapshots");
            Assert.True(await retraining.Start("test"));
            Assert.False(await retraining.Start("test again"));
            Assert.True((await retraining.GetStatus()).Running);
        }

        var status = await Eventually.Until(retraining.GetStatus, s => !s.Running && s.Decisions.Count > 0, $"retraining of {workspace} to decide", TimeSpan.FromMinutes(5));
        return Assert.Single(status.Decisions);
    }
}
