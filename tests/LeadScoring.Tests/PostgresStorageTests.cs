using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Storage;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
public class PostgresStorageTests
{
    [Fact]
    public async Task Migrations_apply_once_and_are_safe_to_rerun_concurrently()
    {
        await using var database = await TestDatabase.CreateAsync();
        var migrator = new SchemaMigrator(database.ConnectionString);

        var concurrent = await Task.WhenAll(migrator.MigrateAsync(), migrator.MigrateAsync());
        var again = await migrator.MigrateAsync();

        Assert.Equal(SchemaMigrator.BundledMigrations.Count, concurrent.Sum(r => r.Applied.Count));
        Assert.Empty(again.Applied);
        Assert.Equal(SchemaMigrator.BundledMigrations.Count, again.AlreadyApplied);
        Assert.Equal(SchemaMigrator.BundledMigrations.Count, await database.CountAsync("SELECT count(*) FROM leadscoring_schema_migrations"));
        // Debian's PostgreSQL, which test.sh installs, has lz4.
        Assert.Equal(1, await database.CountAsync("""
            SELECT count(*) FROM pg_attribute WHERE attrelid = 'lead_state'::regclass AND attname = 'payload' AND attcompression = 'l'
            """));
        // The keys of the tables that grow with the leads compare byte for byte (migration 0016).
        Assert.Equal(15, await database.CountAsync("""
            SELECT count(*) FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
             WHERE c.collname = 'C' AND a.attname IN ('workspace', 'lead_id', 'experiment_id', 'target')
               AND a.attrelid IN ('lead_state'::regclass, 'lead_activity'::regclass, 'lead_activity_ids'::regclass, 'score_history'::regclass,
                                  'training_snapshots'::regclass, 'experiment_exposures'::regclass, 'audit_log'::regclass)
            """));
        // An audited call writes two index entries: the key (workspace, id) and the target's index (migration 0017).
        Assert.Equal(2, await database.CountAsync("SELECT count(*) FROM pg_index WHERE indrelid = 'audit_log'::regclass"));
        // Every query key the three Orleans ADO.NET providers look up is registered.
        Assert.Equal(21, await database.CountAsync("SELECT count(*) FROM orleansquery"));
    }

    [Fact]
    public async Task Lead_state_is_read_back_from_postgres_after_deactivation()
    {
        await using var cluster = await LeadCluster.StartOnNewDatabaseAsync("test");
        var database = cluster.Database!;
        var lead = cluster.Lead("pg-lead");

        await lead.Upsert(new LeadUpsert(new Dictionary<string, LeadAttributeValue?> { ["tier"] = LeadAttributeValue.OfText("gold") }, null, null, null));
        await lead.RecordActivities([LeadGrainTests.PageView("p1", DateTimeOffset.UtcNow)]);
        await cluster.Lead("other-lead").Upsert(new LeadUpsert(new Dictionary<string, LeadAttributeValue?>(), null, null, null));
        await cluster.DeactivateAsync(lead);
        var snapshot = await lead.GetSnapshot();

        Assert.NotNull(snapshot);
        Assert.Equal("gold", snapshot.Attributes["tier"].Text);
        Assert.Equal(1, snapshot.ActivityCount);
        // One row per lead, keyed by workspace and lead id, with the version bumped by each write.
        Assert.Equal(2, await database.CountAsync("SELECT count(*) FROM lead_state WHERE lead_id IN ('pg-lead', 'other-lead')"));
        Assert.Equal(2, await database.CountAsync("SELECT version FROM lead_state WHERE lead_id = 'pg-lead'"));
    }
}
