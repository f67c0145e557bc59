using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Models;
using LeadScoring.Modeling.Tests.Scoring;
using LeadScoring.Modeling.Training;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Scoring;

[Trait("Category", "Cluster")]
public class LeadScoringGrainTests(MemoryLeadClusterFixture fixture) : IClassFixture<MemoryLeadClusterFixture>
{
    private LeadCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Without_a_champion_nothing_is_scored_and_unknown_leads_are_not_found()
    {
        var workspace = NewWorkspace();
        var lead = Cluster.Lead("l1", workspace);
        await lead.Upsert(Profile("software"));

        Assert.Equal(ScoreStatus.NoModel, (await lead.GetScore(false)).Status);
        Assert.Equal(ScoreStatus.NotFound, (await Cluster.Lead("nobody", workspace).GetScore(false)).Status);
        Assert.Equal(ScoreStatus.NotFound, (await Cluster.Lead("nobody", workspace).GetScoreHistory()).Status);
        Assert.Empty((await lead.GetScoreHistory()).Entries);
    }

    [Fact]
    public async Task An_activity_rescores_before_it_is_acknowledged_and_unchanged_leads_serve_their_cached_score()
    {
        var workspace = await WorkspaceWithChampionAsync();
        var lead = Cluster.Lead("l1", workspace);
        await lead.Upsert(Profile("retail"));
        var before = await lead.GetScore(false);
        var again = await lead.GetScore(false);

        var now = DateTimeOffset.UtcNow;
        await lead.RecordActivities([.. Enumerable.Range(0, 6).Select(i => Activity($"m{i}", ActivityType.Meeting, now.AddMinutes(-i)))]);
        var after = await lead.GetScore(false);
        var history = (await lead.GetScoreHistory()).Entries;

        Assert.Equal(ScoreStatus.Ok, before.Status);
        Assert.True(before.CacheHit, "the upsert already scored the lead");
        Assert.True(again.CacheHit);
        Assert.Equal(before.Score!.ScoredAt, again.Score!.ScoredAt);
        Assert.True(after.CacheHit, "the activity already rescored the lead");
        Assert.Equal(ScoreTrigger.Activity, after.Score!.Trigger);
        Assert.NotEqual(before.Score.ConversionProbability, after.Score.ConversionProbability);
        Assert.Equal([ScoreTrigger.Activity, ScoreTrigger.Attributes], history.Select(h => h.Trigger));
        Assert.Equal(after.Score.OverallScore, history[0].OverallScore);
    }

    [Fact]
    public async Task A_caller_holding_the_lead_s_score_is_told_it_is_unchanged_until_the_lead_rescores()
    {
        var workspace = await WorkspaceWithChampionAsync();
        var lead = Cluster.Lead("l1", workspace);
        await lead.Upsert(Profile("retail"));
        var held = (await lead.GetScore(false)).Score!;

        var unchanged = await lead.GetScoreIfChanged(held.ScoredAt, held.ModelVersion);
        var otherModel = await lead.GetScoreIfChanged(held.ScoredAt, "v0");
        var otherTime = await lead.GetScoreIfChanged(held.ScoredAt.AddTicks(-1), held.ModelVersion);
        await lead.RecordActivities([Activity("m1", ActivityType.Meeting, DateTimeOffset.UtcNow)]);
        var changed = await lead.GetScoreIfChanged(held.ScoredAt, held.ModelVersion);

        Assert.Equal((ScoreStatus.Ok, true, true), (unchanged.Status, unchanged.Unchanged, unchanged.CacheHit));
        Assert.Null(unchanged.Score);
        foreach (var whole in new[] { otherModel, otherTime })
        {
            Assert.False(whole.Unchanged);
            Assert.Equal(held.ScoredAt, whole.Score!.ScoredAt);
            Assert.Equal(held.ConversionProbability, whole.Score.ConversionProbability);
        }

        Assert.False(changed.Unchanged);
        Assert.True(changed.Score!.ScoredAt > held.ScoredAt);
        Assert.Equal(ScoreTrigger.Activity, changed.Score.Trigger);
        Assert.Equal(ScoreStatus.NotFound, (await Cluster.Lead("nobody", workspace).GetScoreIfChanged(held.ScoredAt, "v1")).Status);
    }

    [Fact]
    public async Task A_change_decides_the_headline_and_the_next_read_adds_the_details_of_the_lead_as_it_was_scored()
    {
        var workspace = await WorkspaceWithChampionAsync();
        var lead = Cluster.Lead("l1", workspace);
        await lead.Upsert(Profile("software"));
        var now = DateTimeOffset.UtcNow;
        await lead.RecordActivities([Activity("d1", ActivityType.DemoRequest, now.AddHours(-2))]);
        await lead.RecordActivities([Activity("m1", ActivityType.Meeting, now.AddHours(-1))]);

        // The first read after the changes is a batch headline: it completes the details too.
        var summary = await lead.GetBatchScore(false);
        var full = await lead.GetScore(true);
        var entry = (await lead.GetScoreHistory()).Entries[0];

        Assert.True(summary.CacheHit && full.CacheHit);
        var score = full.Score!;
        Assert.Equal(ScoreSummary.Of(score), summary.Summary);
        Assert.Equal((entry.ScoredAt, entry.OverallScore, entry.Grade), (score.ScoredAt, score.OverallScore, score.Grade));
        Assert.NotEmpty(score.KeyFactors.Concat(score.RiskFactors));
        Assert.NotNull(score.Dimensions.Behavioral);
        Assert.False(string.IsNullOrEmpty(score.Recommendations.NextBestAction));
        // The explanation, of the lead as it was scored, reaches the probability the change decided.
        Assert.Equal(score.ConversionProbability, LogisticStacker.Sigmoid(score.Explanation!.OutputValue), 5);
    }

    [Fact]
    public async Task Promoting_another_model_rescores_each_lead_on_its_next_read()
    {
        var workspace = await WorkspaceWithChampionAsync();
        var lead = Cluster.Lead("l1", workspace);
        await lead.Upsert(Profile("finance"));
        var first = await lead.GetScore(false);
        var second = await Cluster.RegisterModelAsync(workspace, SimulatedModels.Second);

        Assert.True(await Cluster.Client.GetGrain<IModelRegistryGrain>(workspace).Promote(second, "test"));
        var rescored = await lead.GetScore(true);
        var cached = await lead.GetScore(false);

        Assert.Equal("v1", first.Score!.ModelVersion);
        Assert.False(rescored.CacheHit);
        Assert.Equal(("v2", ScoreTrigger.ModelChanged), (rescored.Score!.ModelVersion, rescored.Score.Trigger));
        Assert.NotNull(rescored.Score.Explanation);
        Assert.True(cached.CacheHit);
        Assert.Null(cached.Score!.Explanation);
        Assert.Equal(["v2", "v1"], (await lead.GetScoreHistory()).Entries.Select(e => e.ModelVersion));
    }

    [Fact]
    public async Task A_lead_that_withdrew_profiling_consent_is_not_scored()
    {
        var workspace = await WorkspaceWithChampionAsync();
        var lead = Cluster.Lead("l1", workspace);
        await lead.Upsert(Profile("software"));
        var historyBefore = (await lead.GetScoreHistory()).Entries.Count;

        await lead.Upsert(new LeadUpsert(new Dictionary<string, LeadAttributeValue?>(), null, null, new ConsentUpdate(false, null)));
        await lead.RecordActivities([Activity("a1", ActivityType.DemoRequest, DateTimeOffset.UtcNow)]);

        Assert.Equal(ScoreStatus.NoConsent, (await lead.GetScore(true)).Status);
        Assert.Equal(historyBefore, (await lead.GetScoreHistory()).Entries.Count);
    }

    [Fact]
    public async Task A_batch_scores_the_good_leads_and_reports_each_bad_one()
    {
        var workspace = await WorkspaceWithChampionAsync();
        await Cluster.Lead("good1", workspace).Upsert(Profile("software"));
        await Cluster.Lead("good2", workspace).Upsert(Profile("education"));
        await Cluster.Lead("private", workspace).Upsert(Profile("software") with { Consent = new ConsentUpdate(false, null) });

        var results = await Cluster.Client.GetGrain<IScoringBatchGrain>(0).Score(workspace, ["good1", "missing", "private", "good2"], false);

        Assert.Equal([ScoreStatus.Ok, ScoreStatus.NotFound, ScoreStatus.NoConsent, ScoreStatus.Ok], results.Select(r => r!.Status));
        Assert.Equal(["good1", "good2"], results.Where(r => r!.Summary is not null).Select(r => r!.Summary!.LeadId));
        Assert.All(results, r => Assert.Null(r!.Score));
    }

    private async Task<string> WorkspaceWithChampionAsync()
    {
        var workspace = NewWorkspace();
        var version = await Cluster.RegisterModelAsync(workspace, SimulatedModels.First);
        Assert.True(await Cluster.Client.GetGrain<IModelRegistryGrain>(workspace).Promote(version, "test"));
        return workspace;
    }

    private static LeadUpsert Profile(string industry) => new(
        new Dictionary<string, LeadAttributeValue?>
        {
            ["industry"] = LeadAttributeValue.OfText(industry),
            ["job_seniority"] = LeadAttributeValue.OfText("director"),
            ["company_size"] = LeadAttributeValue.OfNumber(250),
        },
        null, null, null);

    private static ActivityRecord Activity(string id, ActivityType type, DateTimeOffset at) => new(id, type, at, ActivityProperties.None);

    private static string NewWorkspace() => "ws" + Guid.NewGuid().ToString("N")[..12];
}
