using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Tests.Scoring;
using LeadScoring.Tests.Infrastructure;
using LeadScoring.Tests.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace LeadScoring.Tests;

/// <summary>Lead grains on PostgreSQL storage, whose recent activities are rows of lead_activity.</summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
public class LeadActivityRowsTests
{
    [Fact]
    public async Task Recent_activities_survive_reactivation_as_rows()
    {
        await using var cluster = await LeadCluster.StartOnNewDatabaseAsync("rows");
        var database = cluster.Database!;
        var now = DateTimeOffset.UtcNow;

        var acting = cluster.Lead("acting");
        await acting.Upsert(new LeadUpsert(new Dictionary<string, LeadAttributeValue?> { ["industry"] = LeadAttributeValue.OfText("software") }, null, null, null));
        await acting.RecordActivities([LeadGrainTests.PageView("p1", now.AddMinutes(-3)), LeadGrainTests.PageView("p2", now.AddMinutes(-1))]);
        await acting.RecordActivities([LeadGrainTests.PageView("p3", now.AddMinutes(-2)), LeadGrainTests.PageView("p2", now.AddMinutes(-1))]);
        var before = (await acting.GetSnapshot())!.RecentActivities;
        await cluster.DeactivateAsync(acting);
        var after = (await acting.GetSnapshot())!.RecentActivities;

        Assert.Equal(["p2", "p3", "p1"], after.Select(a => a.ActivityId));
        Assert.Equal(before, after);
        Assert.Equal(3, await database.CountAsync("SELECT count(*) FROM lead_activity WHERE lead_id = 'acting'"));

    }

    [Fact]
    public async Task Recommendations_come_from_the_stored_rows_which_the_activation_reads_when_a_read_needs_them()
    {
        await using var cluster = await LeadCluster.StartOnNewDatabaseAsync("rows-scored");
        var version = await cluster.RegisterModelAsync(WorkspaceKey.DefaultWorkspace, SimulatedModels.First);
        Assert.True(await cluster.Client.GetGrain<IModelRegistryGrain>(WorkspaceKey.DefaultWorkspace).Promote(version, "test"));
        var now = DateTimeOffset.UtcNow;
        var lead = cluster.Lead("reader");
        await lead.Upsert(new LeadUpsert(new Dictionary<string, LeadAttributeValue?> { ["industry"] = LeadAttributeValue.OfText("software") }, null, null, null));

        await lead.RecordActivities([
            new ActivityRecord("d1", ActivityType.Download, now.AddMinutes(-30), new ActivityProperties(null, null, "webinar", "pricing-guide")),
            new ActivityRecord("e1", ActivityType.EmailClick, now.AddMinutes(-20), new ActivityProperties(null, null, "email", null)),
            new ActivityRecord("e2", ActivityType.EmailReply, now.AddMinutes(-10), new ActivityProperties(null, null, "email", "case-study")),
        ]);
        var fresh = (await lead.GetScore(false)).Score!.Recommendations;
        await cluster.DeactivateAsync(lead);
        var reactivated = (await lead.GetScore(false)).Score!.Recommendations;

        Assert.Equal("email", fresh.BestChannel);
        Assert.Equal(["case-study", "pricing-guide"], fresh.Content);
        Assert.Equal(fresh with { Content = [] }, reactivated with { Content = [] });
        Assert.Equal(fresh.Content, reactivated.Content);
    }

    [Fact]
    public async Task Remembered_activity_ids_are_stored_in_chunks_outside_the_state_and_refuse_retries_after_reactivation()
    {
        await using var cluster = await LeadCluster.StartOnNewDatabaseAsync("ids");
        var database = cluster.Database!;
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var now = DateTimeOffset.UtcNow;
        const int chunk = LeadLimits.ActivityIdChunk, rest = chunk / 2 + 3;
        ActivityRecord View(int i) => LeadGrainTests.PageView($"v{i}", now.AddSeconds(-i));

        var lead = cluster.Lead("ids");
        await lead.Upsert(new LeadUpsert(new Dictionary<string, LeadAttributeValue?> { ["industry"] = LeadAttributeValue.OfText("software") }, null, null, null));
        foreach (var part in Enumerable.Range(0, 2 * chunk + rest).Chunk(100))
        {
            await lead.RecordActivities([.. part.Select(View)]);
        }

        var state = serializer.Deserialize<LeadState>((byte[])(await database.ScalarAsync("SELECT payload FROM lead_state WHERE lead_id = 'ids'"))!);
        Assert.Equal(rest, state!.SeenActivityIdHashes!.Count);
        Assert.Equal(2, state.ActivityIdChunks);
        Assert.Equal(2, await database.CountAsync("SELECT count(*) FROM lead_activity_ids WHERE lead_id = 'ids'"));
        Assert.Equal(2 * chunk * 8, await database.CountAsync("SELECT sum(octet_length(hashes)) FROM lead_activity_ids WHERE lead_id = 'ids'"));

        await cluster.DeactivateAsync(lead);
        var retry = await lead.RecordActivities([View(0), View(chunk + 1), View(2 * chunk + rest - 1), View(-1)]);
        Assert.Equal((1, 3), (retry.Accepted, retry.Duplicates));
        Assert.Equal(2 * chunk + rest + 1, (await lead.GetSnapshot())!.ActivityCount);

        // Erasure takes the chunks too.
        Assert.True(await lead.Erase());
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM lead_activity_ids WHERE lead_id = 'ids'"));
    }

    [Fact]
    public async Task A_lead_keeps_its_newest_chunks_of_activity_ids_and_forgets_the_oldest_in_storage_too()
    {
        await using var cluster = await LeadCluster.StartOnNewDatabaseAsync("ids-forgotten");
        var database = cluster.Database!;
        var now = DateTimeOffset.UtcNow;
        const int chunk = LeadLimits.ActivityIdChunk;
        ActivityRecord View(int i) => LeadGrainTests.PageView($"v{i}", now.AddSeconds(-i % 3600));
        var lead = cluster.Lead("busy");
        await lead.Upsert(new LeadUpsert(new Dictionary<string, LeadAttributeValue?>(), null, null, null));

        foreach (var part in Enumerable.Range(0, (LeadLimits.StoredActivityIdChunks + 1) * chunk + 5).Chunk(LeadLimits.MaxActivitiesPerCall))
        {
            await lead.RecordActivities([.. part.Select(View)]);
        }

        Assert.Equal(LeadLimits.StoredActivityIdChunks, await database.CountAsync("SELECT count(*) FROM lead_activity_ids WHERE lead_id = 'busy'"));
        Assert.Equal(1, await database.CountAsync("SELECT min(chunk) FROM lead_activity_ids WHERE lead_id = 'busy'"));
        await cluster.DeactivateAsync(lead);
        var retry = await lead.RecordActivities([View(chunk - 1), View(chunk), View(LeadLimits.RememberedActivityIds)]);
        Assert.Equal((1, 2), (retry.Accepted, retry.Duplicates));
    }
}
