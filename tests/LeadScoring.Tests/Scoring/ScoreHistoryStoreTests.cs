using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LeadScoring.Tests.Scoring;

[Trait("Category", "Postgres")]
public class ScoreHistoryStoreTests
{
    [Fact]
    public async Task Concurrent_appends_are_committed_in_batches_and_each_lead_keeps_its_newest_entries()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.MigrateAsync();
        await using var source = NpgsqlDataSource.Create(database.ConnectionString);
        await using var writes = new LeadWrites(source, NullLogger<LeadWrites>.Instance);
        var store = new PostgresScoreHistoryStore(source, writes);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        ScoreHistoryEntry Entry(int i) => new(start.AddMinutes(i), i, i / 1000.0, "C", "v1", ScoreTrigger.Activity);

        // One lead's entries in order, trimmed when its grain would ask, other leads' at the same time.
        var appended = LeadLimits.StoredScoreHistory + 30;
        var busy = Task.Run(async () =>
        {
            var recent = new RecentScores([]);
            for (var i = 0; i < appended; i++)
            {
                await store.AppendAsync("w", "busy", Entry(i), recent.TrimsOnNextAppend, []);
                recent.Add(Entry(i));
                Assert.True(await database.CountAsync("SELECT count(*) FROM score_history WHERE lead_id = 'busy'") < LeadLimits.StoredScoreHistory);
            }
        });
        // The 400 are queued while no commit can finish (the table is held): at most one batch per commit slot (2)
        // taken before, and one batch of everything waiting after.
        List<Task> others;
        await using (await database.LockTableAsync("score_history"))
        {
            others = [.. Enumerable.Range(0, 400).Select(i => store.AppendAsync("w", $"lead{i}", Entry(i), trimHistory: false, []))];
        }

        await Task.WhenAll(others.Append(busy));

        var history = await store.ListAsync("w", "busy");
        Assert.Equal(LeadLimits.ScoreHistory, history.Count);
        Assert.Equal(Enumerable.Range(appended - LeadLimits.ScoreHistory, LeadLimits.ScoreHistory).Reverse().Select(i => (double)i), history.Select(h => h.OverallScore));
        Assert.Equal(start.AddMinutes(appended - 1), history[0].ScoredAt);
        // The trim at the 200th append kept the newest 100; 30 came after it.
        var stored = await store.ListAsync("w", "busy", LeadLimits.StoredScoreHistory);
        Assert.Equal(LeadLimits.ScoreHistory + 30, stored.Count);
        Assert.Equal(appended - stored.Count, (int)stored[^1].OverallScore);
        Assert.Single(await store.ListAsync("w", "lead7"));
        Assert.Empty(await store.ListAsync("other", "lead7"));
        Assert.Equal(400 + LeadLimits.ScoreHistory + 30, await database.CountAsync("SELECT count(*) FROM score_history"));
        Assert.InRange(await database.CountAsync("SELECT count(DISTINCT xmin::text) FROM score_history WHERE lead_id LIKE 'lead%'"), 1, 3);
    }
}
