using LeadScoring.Grains.Drift;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Drift;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Modeling.Training;
using LeadScoring.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Tests.Drift;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
public class DriftGrainTests
{
    private const int LiveLeads = 800;

    [Fact]
    public async Task A_shifted_feature_drifts_while_unshifted_ones_stay_none_and_silos_add_up()
    {
        var now = DateTimeOffset.UtcNow;
        // The reference: simulated leads as they are now, so that live leads of the same generator match it.
        var reference = TrainOnLeadsAsOf(SyntheticCrm.Generate(2000, seed: 21, now), now);
        // Two silos sharing one registry (PostgreSQL), so that leads live on both and their counts must add up.
        await using var cluster = await LeadCluster.StartOnNewDatabaseAsync("drift", silos: 2,
            configure: silo =>
            {
                silo.Services.Configure<DriftOptions>(o =>
                {
                    o.FlushInterval = TimeSpan.FromMilliseconds(200);
                    o.MinimumObservations = 200;
                });
                // The leads looked for a champion while they were created; the registration must be seen at once.
                silo.Services.Configure<ScoringOptions>(o => o.ChampionRefresh = TimeSpan.FromMilliseconds(50));
            });

        // Live leads from the same population as the reference (leads old enough to have an outcome), read as of
        // the same moment give or take the seconds the test takes: nothing may drift but what is shifted.
        var steady = await FeedAsync(cluster, "drift-steady", reference, Population(seed: 22, now), shift: false);
        var shifted = await FeedAsync(cluster, "drift-shifted", reference, Population(seed: 23, now), shift: true);

        Assert.True(steady.Level == DriftLevel.None, Describe(steady));
        Assert.True(steady.TotalAlerts == 0, string.Join("; ", steady.RecentAlerts.Select(a => $"{a.Level}: {string.Join(", ", a.Reasons)}")));
        Assert.Empty(steady.RecentAlerts);
        Assert.All(steady.Features, f => Assert.True(f.Level == DriftLevel.None, Describe(steady)));

        var seniority = shifted.Features.SingleOrDefault(f => f.Feature == "job_seniority");
        Assert.True(seniority is not null, Describe(shifted));
        Assert.True(seniority.Level >= DriftLevel.Medium, Describe(shifted));
        Assert.True(seniority.ChiSquarePValue < 1e-6, Describe(shifted));
        Assert.All(shifted.Features.Where(f => f.Feature != "job_seniority"), f => Assert.True(f.Level == DriftLevel.None, Describe(shifted)));
        Assert.True(shifted.Level >= DriftLevel.Medium);
        Assert.Contains(shifted.Reasons, r => r.StartsWith("job_seniority", StringComparison.Ordinal));
        // One alert per rise of the level, newest first: each alert's level is above the one before it.
        Assert.Equal(shifted.RecentAlerts.Count, shifted.TotalAlerts);
        Assert.InRange(shifted.TotalAlerts, 1, 3);
        Assert.Equal(shifted.Level, shifted.RecentAlerts[0].Level);
        Assert.True(shifted.RecentAlerts.Zip(shifted.RecentAlerts.Skip(1)).All(p => p.First.Level > p.Second.Level),
            string.Join(", ", shifted.RecentAlerts.Select(a => a.Level)));
        Assert.NotNull(shifted.Performance.ExpectedAccuracy);
    }

    /// <summary>
    /// Creates the leads (no champion yet, so nothing is scored), registers the model, then scores each lead once:
    /// exactly one observation per lead, from whichever silo the lead lives on. Waits until every observation
    /// has reached the drift grain.
    /// </summary>
    private static async Task<DriftReport> FeedAsync(LeadCluster cluster, string workspace, TrainingResult model, IEnumerable<SimulatedLead> leads, bool shift)
    {
        var ids = new List<string>();
        foreach (var lead in leads)
        {
            var attributes = lead.Attributes.ToDictionary(a => a.Key, a => (LeadAttributeValue?)a.Value);
            if (shift && ids.Count % 10 < 7)
            {
                // The shift: seven leads in ten are now students (about one in six in the reference).
                attributes["job_seniority"] = LeadAttributeValue.OfText("student");
            }

            var grain = cluster.Lead(lead.LeadId, workspace);
            await grain.Upsert(new LeadUpsert(attributes, null, null, null));
            if (lead.Activities.Count > 0)
            {
                await grain.RecordActivities(lead.Activities);
            }

            ids.Add(lead.LeadId);
        }

        var version = await cluster.RegisterModelAsync(workspace, model);
        Assert.True(await cluster.Client.GetGrain<IModelRegistryGrain>(workspace).Promote(version, "drift test"));
        // A lead asked before its silo has seen the promotion answers without a score (no observation) and is
        // asked again, until every lead has been scored once by the new champion.
        var unscored = ids;
        await Eventually.True(async () =>
        {
            var scores = await Task.WhenAll(unscored.Select(async id => (Id: id, (await cluster.Lead(id, workspace).GetScore(false)).Score?.ModelVersion)));
            unscored = [.. scores.Where(s => s.ModelVersion != version).Select(s => s.Id)];
            return unscored.Count == 0;
        }, $"every lead of {workspace} scored by {version}");
        var drift = cluster.Client.GetGrain<IDriftGrain>(workspace);
        var report = await Eventually.Until(drift.GetReport, r => r?.Observations >= ids.Count, $"{ids.Count} observations in {workspace}'s drift grain");
        Assert.Equal(ids.Count, report!.Observations);
        return report;
    }

    private static IEnumerable<SimulatedLead> Population(int seed, DateTimeOffset origin) =>
        SyntheticCrm.Generate(3 * LiveLeads, seed, origin).Where(l => l.Outcome is not null).Take(LiveLeads);

    private static TrainingResult TrainOnLeadsAsOf(IEnumerable<SimulatedLead> leads, DateTimeOffset asOf)
    {
        var options = new FeatureOptions();
        var snapshots = new List<TrainingSnapshot>();
        foreach (var lead in leads.Where(l => l.Outcome is not null))
        {
            var aggregates = new ActivityAggregates();
            foreach (var activity in lead.Activities)
            {
                FeatureEngine.Apply(aggregates, activity, options, asOf);
            }

            // Created "now", as the live leads below are (their grains are created when the test upserts them).
            snapshots.Add(new TrainingSnapshot("drift", lead.LeadId, asOf, lead.Outcome!.Converted, null, null,
                lead.Attributes.ToDictionary(a => a.Key, a => a.Value.ToString()), FeatureEngine.Compute(aggregates, asOf, asOf, options)));
        }

        return new EnsembleTrainer(TrainingSnapshot.HistoryOptions(new TrainingOptions { Label = TrainingSnapshot.LabelColumn, SearchBudget = TimeSpan.Zero }))
            .Train(TrainingSnapshot.ToTable(snapshots));
    }

    private static string Describe(DriftReport report) =>
        $"level {report.Level}, {report.Observations} observations: " +
        string.Join("; ", report.Features.Select(f => $"{f.Feature} {f.Psi:0.###} {f.Level}")) + $"; score {report.Score.Psi:0.###}";
}
