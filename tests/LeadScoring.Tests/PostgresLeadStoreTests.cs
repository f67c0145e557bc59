using LeadScoring.Common;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace LeadScoring.Tests;

[Trait("Category", "Postgres")]
public class PostgresLeadStoreTests
{
    [Fact]
    public async Task Concurrent_writes_of_many_leads_share_commits_and_read_back()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        var states = Enumerable.Range(0, 300).Select(i => State($"lead{i}", i)).ToList();

        await Task.WhenAll(states.Select(s => fixture.Storage.WriteAsync(s.Id, s.State, LeadWriteExtras.None)));
        // The second round is queued while no commit can finish (the table is held): the design promises at most
        // one batch per commit slot (2) taken before, and one batch of everything waiting after.
        List<Task> second;
        await using (await fixture.Database.LockTableAsync("lead_state"))
        {
            second = [.. states.Select(s => fixture.Storage.WriteAsync(s.Id, s.State, LeadWriteExtras.None))];
        }

        await Task.WhenAll(second);

        Assert.All(states, s => Assert.Equal("2", s.State.ETag));
        var read = State("lead123", 0);
        await fixture.Storage.ReadAsync(read.Id, read.State);
        Assert.True(read.State.RecordExists);
        Assert.Equal("2", read.State.ETag);
        Assert.Equal(123, read.State.State!.ActivityCount);
        Assert.Equal(300, await fixture.Database.CountAsync("SELECT count(*) FROM lead_state WHERE workspace = 'w' AND version = 2"));
        Assert.InRange(await fixture.Database.CountAsync("SELECT count(DISTINCT xmin::text) FROM lead_state"), 1, 3);
    }

    [Fact]
    public async Task A_leads_state_and_its_history_entry_written_together_share_one_transaction()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        var entry = new ScoreHistoryEntry(DateTimeOffset.UtcNow, 50, 0.5, "B", "v1", ScoreTrigger.Activity);

        // As a lead grain persists a change, among entries without a state (rescores on read) and states without
        // an entry (leads that cannot be scored).
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
        {
            var lead = State($"lead{i}", i);
            return (i % 3) switch
            {
                0 => fixture.Storage.WriteAsync(lead.Id, lead.State, new LeadWriteExtras(entry, false, [], false)),
                1 => fixture.History.AppendAsync("w", $"read{i}", entry, trimHistory: false, []),
                _ => fixture.Storage.WriteAsync(lead.Id, lead.State, LeadWriteExtras.None),
            };
        }));

        Assert.Equal(200, await fixture.Database.CountAsync("SELECT count(*) FROM score_history"));
        Assert.Equal(200, await fixture.Database.CountAsync("SELECT count(*) FROM lead_state"));
        Assert.Equal(100, await fixture.Database.CountAsync("""
            SELECT count(*) FROM score_history h JOIN lead_state s ON s.workspace = h.workspace AND s.lead_id = h.lead_id
             WHERE h.xmin::text = s.xmin::text AND h.grade = 'B' AND h.trigger = 'Activity' AND h.model_version = 'v1'
            """));
        Assert.True(await fixture.Database.CountAsync(
            "SELECT count(DISTINCT x) FROM (SELECT xmin::text AS x FROM lead_state UNION ALL SELECT xmin::text FROM score_history) t") < 150);
    }

    [Fact]
    public async Task A_state_write_that_conflicts_writes_no_history_entry_and_a_full_history_keeps_its_newest()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        var stale = await StaleCopyAsync(fixture, "contested");
        var full = State("full", 1);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < LeadLimits.ScoreHistory; i++)
        {
            await fixture.History.AppendAsync("w", "full", new ScoreHistoryEntry(start.AddMinutes(i), i, 0.1, "D", "v1", ScoreTrigger.Activity), trimHistory: false, []);
        }

        var staleWrite = fixture.Storage.WriteAsync(stale.Id, stale.State, new LeadWriteExtras(
            new ScoreHistoryEntry(DateTimeOffset.UtcNow, 99, 0.99, "A", "v1", ScoreTrigger.Activity), false, [Numbered(3, PageView(DateTimeOffset.UtcNow))], false));
        var fullWrite = fixture.Storage.WriteAsync(full.Id, full.State, new LeadWriteExtras(
            new ScoreHistoryEntry(start.AddMinutes(59), 77, 0.77, "A", "v1", ScoreTrigger.Activity), true, [], false));
        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        await fullWrite;

        Assert.Equal(0, await fixture.Database.CountAsync("SELECT count(*) FROM score_history WHERE lead_id = 'contested'"));
        Assert.Equal(0, await fixture.Database.CountAsync("SELECT count(*) FROM lead_activity WHERE lead_id = 'contested'"));
        Assert.Equal(LeadLimits.ScoreHistory, await fixture.Database.CountAsync("SELECT count(*) FROM score_history WHERE lead_id = 'full'"));
        Assert.Equal(77, await fixture.Database.CountAsync("SELECT overall_score::bigint FROM score_history WHERE lead_id = 'full' ORDER BY id DESC LIMIT 1"));
        Assert.Equal(0, await fixture.Database.CountAsync("SELECT count(*) FROM score_history WHERE lead_id = 'full' AND overall_score = 0"));
    }

    [Fact]
    public async Task Two_writes_of_one_lead_from_the_same_version_among_other_writes_let_exactly_one_win()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        var first = await WrittenAsync(fixture, "raced");
        // Two activations that both read version 1, plus bystanders to make the batch.
        var (a, b) = (ReadAs(first, 2), ReadAs(first, 3));
        var bystanders = Enumerable.Range(0, 50).Select(i => State($"bystander{i}", i)).ToList();

        var writes = bystanders.Select(s => Outcome(fixture.Storage.WriteAsync(s.Id, s.State, LeadWriteExtras.None)))
            .Append(Outcome(fixture.Storage.WriteAsync(a.Id, a.State, LeadWriteExtras.None)))
            .Append(Outcome(fixture.Storage.WriteAsync(b.Id, b.State, LeadWriteExtras.None)))
            .ToList();
        var results = await Task.WhenAll(writes);

        Assert.All(results.Take(50), Assert.True);
        Assert.Equal(1, results.Skip(50).Count(ok => ok));
        Assert.Equal(2, await fixture.Database.CountAsync("SELECT version FROM lead_state WHERE lead_id = 'raced'"));
        Assert.Equal(50, await fixture.Database.CountAsync("SELECT count(*) FROM lead_state WHERE lead_id LIKE 'bystander%'"));
    }

    [Fact]
    public async Task A_write_with_a_stale_version_fails_for_that_lead_alone_and_changes_nothing()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        var stale = await StaleCopyAsync(fixture, "contested");
        var bystander = State("bystander", 3);

        var staleWrite = fixture.Storage.WriteAsync(stale.Id, stale.State, LeadWriteExtras.None);
        var bystanderWrite = fixture.Storage.WriteAsync(bystander.Id, bystander.State, LeadWriteExtras.None);
        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        await bystanderWrite;

        var read = State("contested", 0);
        await fixture.Storage.ReadAsync(read.Id, read.State);
        Assert.Equal(1, read.State.State!.ActivityCount);
        Assert.Equal("2", read.State.ETag);
        Assert.Equal("1", bystander.State.ETag);
    }

    [Fact]
    public async Task Two_first_writes_of_one_lead_at_once_let_exactly_one_win()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        var a = State("twice", 1);
        var b = State("twice", 2);

        var results = await Task.WhenAll(
            Outcome(fixture.Storage.WriteAsync(a.Id, a.State, LeadWriteExtras.None)),
            Outcome(fixture.Storage.WriteAsync(b.Id, b.State, LeadWriteExtras.None)));

        Assert.Equal(1, results.Count(ok => ok));
        Assert.Equal(1, await fixture.Database.CountAsync("SELECT count(*) FROM lead_state WHERE lead_id = 'twice'"));
    }

    [Fact]
    public async Task Recent_activities_are_rows_of_their_own_written_with_the_state_and_read_back_in_the_leads_order()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        var lead = State("active", 4);
        var now = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.FromHours(2));
        // Newest occurrence first; of two at the same time, the one taken first comes first.
        List<RecentActivity> recent =
        [
            new("a1", ActivityType.Download, now, null, null, "web", "pricing-guide"),
            new("a3", ActivityType.PageView, now, 3, null, null, null),
            new(null, ActivityType.PageView, now.AddMinutes(-5), 42.5, "https://example.com/p/1", null, null),
            new("a0", ActivityType.EmailOpen, now.AddDays(-1), null, null, null, null),
        ];
        // Taken in this order: a0, a1, the page view, a3.
        NumberedActivity[] taken = [Numbered(1, recent[3]), Numbered(2, recent[0]), Numbered(3, recent[2]), Numbered(4, recent[1])];
        await fixture.Storage.WriteAsync(lead.Id, lead.State, new LeadWriteExtras(null, false, taken[..2], false));
        await fixture.Storage.WriteAsync(lead.Id, lead.State, new LeadWriteExtras(null, false, taken[2..], false));

        var read = State("active", 0);
        await fixture.Storage.ReadAsync(read.Id, read.State);
        var rows = await fixture.Storage.ReadRecentActivitiesAsync(read.Id, LeadLimits.RecentActivities);

        // A read of the state only counts the rows; the lead reads them when it needs them.
        Assert.Equal(4, read.State.State!.ActivityRows);
        Assert.Equal(recent, rows.Select(row => row.Activity));
        Assert.Equal([2L, 4, 3, 1], rows.Select(row => row.Received));
        Assert.Equal(TimeSpan.FromHours(2), rows[0].Activity.OccurredAt.Offset);
        Assert.Same(ActivityProperties.None, rows[3].Activity.ToRecord().Properties);
        Assert.Equal(2, (await fixture.Storage.ReadRecentActivitiesAsync(read.Id, 2)).Count);
        Assert.Equal(4, await fixture.Database.CountAsync("SELECT count(*) FROM lead_activity WHERE lead_id = 'active'"));
    }

    [Fact]
    public async Task A_leads_activity_rows_are_trimmed_to_the_newest_once_it_holds_twice_as_many()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        var lead = State("busy", 0);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var rows = StoredRows.AfterRead(0, LeadLimits.RecentActivities, LeadLimits.StoredRecentActivities);
        // Three a write, 231 in all: the write that reaches 200 trims, 31 come after it.
        var appended = LeadLimits.StoredRecentActivities + 31;
        for (var taken = 0; taken < appended; taken += 3)
        {
            NumberedActivity[] three = [.. Enumerable.Range(taken + 1, 3).Select(n => Numbered(n, PageView(start.AddMinutes(n))))];
            await fixture.Storage.WriteAsync(lead.Id, lead.State, new LeadWriteExtras(null, false, three, rows.TrimsWith(3)));
            rows = rows.Append(3);
            Assert.True(await fixture.Database.CountAsync("SELECT count(*) FROM lead_activity WHERE lead_id = 'busy'") < LeadLimits.StoredRecentActivities);
        }

        var read = State("busy", 0);
        await fixture.Storage.ReadAsync(read.Id, read.State);

        Assert.Equal(rows.Count, await fixture.Database.CountAsync("SELECT count(*) FROM lead_activity WHERE lead_id = 'busy'"));
        Assert.Equal(rows.Count, read.State.State!.ActivityRows);
        Assert.Equal(
            Enumerable.Range(appended - LeadLimits.RecentActivities + 1, LeadLimits.RecentActivities).Reverse().Select(n => start.AddMinutes(n)),
            (await fixture.Storage.ReadRecentActivitiesAsync(read.Id, LeadLimits.RecentActivities)).Select(row => row.Activity.OccurredAt));
    }

    [Fact]
    public async Task The_activity_trim_reads_only_the_due_leads_rows_even_with_a_generic_plan()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        // Other leads' rows: enough that a scan of the table is what a bad plan would show.
        await fixture.Database.ScalarAsync("""
            INSERT INTO lead_activity (workspace, lead_id, received, occurred_at, payload)
            SELECT 'w', 'other-' || (n % 500), n, now() - n * interval '1 second', '\x00'::bytea FROM generate_series(1, 50000) n;
            ANALYZE lead_activity;
            """);

        // A prepared statement's generic plan knows neither the leads nor how many: the plan Npgsql's
        // automatic preparation ends up with after a few executions.
        var plan = await fixture.GenericPlanAsync(LeadWrites.ActivityTrim, "text[], text[], integer", "'{w}', '{other-1}', 100");

        Assert.DoesNotContain("Seq Scan on lead_activity", plan, StringComparison.Ordinal);
        Assert.Contains("Index Scan using lead_activity_pkey on lead_activity a", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clearing_deletes_the_row_and_the_activity_rows_with_its_event_and_a_missing_lead_reads_as_new()
    {
        await using var fixture = await StorageFixture.CreateAsync();
        var lead = State("erased", 5);
        await fixture.Storage.WriteAsync(lead.Id, lead.State, new LeadWriteExtras(null, false, [Numbered(5, PageView(DateTimeOffset.UtcNow))], false));

        await fixture.Storage.ClearAsync(lead.Id, lead.State, LeadEvents.Erased("w", "erased", DateTimeOffset.UtcNow));
        var read = State("erased", 0);
        await fixture.Storage.ReadAsync(read.Id, read.State);

        Assert.Equal(0, await fixture.Database.CountAsync("SELECT count(*) FROM lead_state"));
        Assert.Equal(0, await fixture.Database.CountAsync("SELECT count(*) FROM lead_activity"));
        // The erasure's event commits with it.
        Assert.Equal(1, await fixture.Database.CountAsync("SELECT count(*) FROM event_outbox WHERE type = 'lead.erased' AND lead_id = 'erased'"));
        Assert.False(read.State.RecordExists);
        Assert.Null(read.State.ETag);
        Assert.Equal(0, read.State.State!.ActivityCount);
    }

    private static async Task<bool> Outcome(Task write)
    {
        try
        {
            await write;
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    /// <summary>A lead written once (version 1, one activity).</summary>
    private static async Task<(GrainId Id, GrainState<LeadState> State)> WrittenAsync(StorageFixture fixture, string leadId)
    {
        var lead = State(leadId, 1);
        await fixture.Storage.WriteAsync(lead.Id, lead.State, LeadWriteExtras.None);
        return lead;
    }

    /// <summary>A lead written twice, and the copy an activation holds that read it after the first write.</summary>
    private static async Task<(GrainId Id, GrainState<LeadState> State)> StaleCopyAsync(StorageFixture fixture, string leadId)
    {
        var first = await WrittenAsync(fixture, leadId);
        var stale = ReadAs(first, 2);
        await fixture.Storage.WriteAsync(first.Id, first.State, LeadWriteExtras.None);
        return stale;
    }

    /// <summary>Another activation's copy of the lead, holding the version it read and its own activity count.</summary>
    private static (GrainId Id, GrainState<LeadState> State) ReadAs((GrainId Id, GrainState<LeadState> State) lead, long activityCount) =>
        (lead.Id, new GrainState<LeadState>(new LeadState { Exists = true, ActivityCount = activityCount }) { ETag = lead.State.ETag });

    private static NumberedActivity Numbered(long received, RecentActivity activity) => new(received, activity);

    private static RecentActivity PageView(DateTimeOffset at) => new(null, ActivityType.PageView, at, 30, null, null, null);

    private static (GrainId Id, GrainState<LeadState> State) State(string leadId, long activityCount) =>
        (GrainId.Create("lead", WorkspaceKey.Format("w", leadId)),
         new GrainState<LeadState>(new LeadState { Exists = true, ActivityCount = activityCount }));

    private sealed class StorageFixture : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _source;
        private readonly ServiceProvider _services;

        private StorageFixture(TestDatabase database, NpgsqlDataSource source, ServiceProvider services, LeadWrites writes)
        {
            Database = database;
            _source = source;
            _services = services;
            Writes = writes;
            Reads = new LeadReads(source, NullLogger<LeadReads>.Instance);
            Storage = new PostgresLeadStore(source, services.GetRequiredService<Serializer>(), Reads, writes);
            History = new PostgresScoreHistoryStore(source, writes);
        }

        public TestDatabase Database { get; }

        public LeadWrites Writes { get; }

        public LeadReads Reads { get; }

        public PostgresLeadStore Storage { get; }

        public PostgresScoreHistoryStore History { get; }

        public byte[] Serialize(LeadState state) => _services.GetRequiredService<Serializer>().SerializeToArray(state);

        public LeadState Deserialize(byte[] payload) => _services.GetRequiredService<Serializer>().Deserialize<LeadState>(payload)!;

        /// <summary>EXPLAIN of <paramref name="sql"/> prepared, as PostgreSQL plans it without looking at <paramref name="arguments"/>.</summary>
        public async Task<string> GenericPlanAsync(string sql, string parameterTypes, string arguments)
        {
            await using var connection = await _source.OpenConnectionAsync();
            await using (var prepare = new NpgsqlCommand($"SET plan_cache_mode = force_generic_plan; PREPARE statement ({parameterTypes}) AS {sql}", connection))
            {
                await prepare.ExecuteNonQueryAsync();
            }

            await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE statement({arguments})", connection);
            var lines = new List<string>();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join('\n', lines);
        }

        public async Task<byte[]> PayloadAsync(string leadId)
        {
            await using var command = _source.CreateCommand("SELECT payload FROM lead_state WHERE workspace = 'w' AND lead_id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = leadId });
            return (byte[])(await command.ExecuteScalarAsync())!;
        }

        public static async Task<StorageFixture> CreateAsync()
        {
            var database = await TestDatabase.CreateAsync();
            await database.MigrateAsync();
            var source = NpgsqlDataSource.Create(PostgresConnections.Tuned(database.ConnectionString, PostgresConnections.SiloStores));
            var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
            return new StorageFixture(database, source, services, new LeadWrites(source, NullLogger<LeadWrites>.Instance));
        }

        public async ValueTask DisposeAsync()
        {
            await Writes.DisposeAsync();
            await Reads.DisposeAsync();
            await _source.DisposeAsync();
            await _services.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
