using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Storage;
using LeadScoring.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LeadScoring.Tests.Scoring;

public class ScoreHistoryStoreTests
{
    [Fact]
    public async Task Concurrent_appends_are_committed_in_batches_and_each_lead_keeps_its_newest_entries()
    {
        await using var database = await TestDatabase.CreateAsync();
        await new SchemaMigrator(database.ConnectionString).MigrateAsync();
        await using var source = NpgsqlDataSource.Create(database.ConnectionString);
        await using var writes = new LeadWrites(source, NullLogger<LeadWrites>.Instance);
        var store = new PostgresScoreHistoryStore(source, writes);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        ScoreHistoryEntry Entry(int i) => new(start.AddMinutes(i), i, i / 1000.0, "C", "v1", ScoreTrigger.Activity);

        // One lead's entries in order (as its grain appends them), other leads' at the same time.
        var busy = Task.Run(async () =>
        {
            for (var i = 0; i < LeadLimits.ScoreHistory + 30; i++)
            {
                await store.AppendAsync("w", "busy", Entry(i), historyFull: i >= LeadLimits.ScoreHistory);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => store.AppendAsync("w", $"lead{i}", Entry(i), historyFull: false)).Append(busy));

        var history = await store.ListAsync("w", "busy");
        Assert.Equal(LeadLimits.ScoreHistory, history.Count);
        Assert.Equal(Enumerable.Range(30, LeadLimits.ScoreHistory).Reverse().Select(i => (double)i), history.Select(h => h.OverallScore));
        Assert.Equal(start.AddMinutes(LeadLimits.ScoreHistory + 29), history[0].ScoredAt);
        Assert.Single(await store.ListAsync("w", "lead7"));
        Assert.Empty(await store.ListAsync("other", "lead7"));
        Assert.Equal(400 + LeadLimits.ScoreHistory, await database.CountAsync("SELECT count(*) FROM score_history"));
        // Fewer statements than appends: concurrent appends shared transactions.
        Assert.True(await database.CountAsync("SELECT count(DISTINCT xmin::text) FROM score_history") < 400 + LeadLimits.ScoreHistory);
    }
}
