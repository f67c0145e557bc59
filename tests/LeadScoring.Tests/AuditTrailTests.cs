using LeadScoring.Grains.Storage;
using LeadScoring.Tests.Infrastructure;
using Npgsql;

namespace LeadScoring.Tests;

/// <summary>
/// The audit trail against someone holding the product's database credentials: the role silos and the API connect
/// as (every process test runs as it) may add to the trail and read it, and every way to rewrite, empty, unprotect
/// or bypass it is refused by PostgreSQL's privileges, not by the product's goodwill.
/// </summary>
[Trait("Category", "Postgres")]
public class AuditTrailTests
{
    public static TheoryData<string, string> Attacks => new()
    {
        { "rewrite an entry", "UPDATE audit_log SET outcome = 'succeeded'" },
        { "delete entries", "DELETE FROM audit_log" },
        { "empty the table", "TRUNCATE audit_log" },
        { "disable its trigger", "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete" },
        { "disable every trigger", "ALTER TABLE audit_log DISABLE TRIGGER ALL" },
        { "drop its trigger", "DROP TRIGGER audit_log_no_update_or_delete ON audit_log" },
        { "replace the trigger's function", "CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END; $$" },
        { "skip triggers for the session", "SET session_replication_role = replica" },
        { "take the table over", $"ALTER TABLE audit_log OWNER TO {TestDatabase.RuntimeRole}" },
        { "drop the table", "DROP TABLE audit_log" },
        { "make itself superuser", $"ALTER ROLE {TestDatabase.RuntimeRole} SUPERUSER" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task The_product_s_role_is_refused_every_way_to_alter_the_trail(string attack, string sql)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var product = await OneEntryTrailAsync(database, database.RuntimeConnectionString);
        var before = await database.FingerprintAsync(new HashSet<string>());

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(product, sql));

        // Refused for want of privilege (42501), not by the append-only trigger: the role could not get that far.
        Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{attack}: {refused.SqlState} {refused.MessageText}");
        Assert.DoesNotContain("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await database.FingerprintAsync(new HashSet<string>()));
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM audit_log WHERE outcome = 'succeeded' AND subject = 'alice'"));
    }

    [Fact]
    public async Task The_product_s_role_reads_and_writes_its_tables_and_owns_none()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.MigrateAsync();
        await using var product = new NpgsqlConnection(database.RuntimeConnectionString);
        await product.OpenAsync();

        await ExecuteAsync(product, "INSERT INTO drift_alerts (workspace, at, level, model_version, reasons, evidence) VALUES ('w', now(), 'low', 'v1', '[]', '{}')");
        await ExecuteAsync(product, "UPDATE drift_alerts SET level = 'medium' WHERE workspace = 'w'");
        await ExecuteAsync(product, "DELETE FROM drift_alerts WHERE workspace = 'w'");
        var owned = await database.StringsAsync($"SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tableowner = '{TestDatabase.RuntimeRole}'");
        var privileges = await database.StringsAsync($"""
            SELECT c.relname || ' ' || concat_ws(',',
                   CASE WHEN has_table_privilege('{TestDatabase.RuntimeRole}', c.oid, 'SELECT') THEN 'select' END,
                   CASE WHEN has_table_privilege('{TestDatabase.RuntimeRole}', c.oid, 'INSERT') THEN 'insert' END,
                   CASE WHEN has_table_privilege('{TestDatabase.RuntimeRole}', c.oid, 'UPDATE') THEN 'update' END,
                   CASE WHEN has_table_privilege('{TestDatabase.RuntimeRole}', c.oid, 'DELETE') THEN 'delete' END,
                   CASE WHEN has_table_privilege('{TestDatabase.RuntimeRole}', c.oid, 'TRUNCATE') THEN 'truncate' END)
              FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
            """);
        var expected = TestDatabase.MigratedTables.Select(table => table switch
        {
            "audit_log" => $"{table} select,insert",
            "leadscoring_schema_migrations" => $"{table} select",
            _ => $"{table} select,insert,update,delete",
        });

        Assert.Empty(owned);
        Assert.Equal(expected.Order(StringComparer.Ordinal), privileges.Order(StringComparer.Ordinal));
        Assert.True(await IsMemberAsync(database), $"{TestDatabase.RuntimeRole} is not a member of {SchemaMigrator.ApplicationRole}");
    }

    [Fact]
    public async Task The_owner_is_stopped_by_the_trigger_from_plain_rewrites()
    {
        // A guard against the owner's mistakes, not against the owner: an owner can disable it, which is why the
        // product does not connect as the owner.
        await using var database = await TestDatabase.CreateAsync();
        await using var owner = await OneEntryTrailAsync(database, database.ConnectionString);

        foreach (var rewrite in new[] { "UPDATE audit_log SET outcome = 'failed'", "DELETE FROM audit_log", "TRUNCATE audit_log" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(owner, rewrite));
            Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM audit_log WHERE outcome = 'succeeded'"));
    }

    /// <summary>Migrates the database and adds one entry to its trail through <paramref name="connectionString"/>; that connection, open.</summary>
    private static async Task<NpgsqlConnection> OneEntryTrailAsync(TestDatabase database, string connectionString)
    {
        await database.MigrateAsync();
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            INSERT INTO audit_log (at, workspace, subject, role, action, target, outcome, status, request_id)
            VALUES (now(), 'w', 'alice', 'admin', 'model.promote', 'model:v2', 'succeeded', 200, 'r1')
            """);
        return connection;
    }

    private static async Task<bool> IsMemberAsync(TestDatabase database) =>
        (bool)(await database.ScalarAsync($"SELECT pg_has_role('{TestDatabase.RuntimeRole}', '{SchemaMigrator.ApplicationRole}', 'MEMBER')"))!;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
