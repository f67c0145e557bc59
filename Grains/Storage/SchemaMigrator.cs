using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace LeadScoring.Grains.Storage;

/// <summary>One versioned SQL script shipped inside this assembly.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

/// <summary>What a migration run did; <paramref name="RoleProblem"/> says why the application role could not be set up, or is null.</summary>
public sealed record MigrationReport(IReadOnlyList<Migration> Applied, int AlreadyApplied, string? RoleProblem = null);

/// <summary>
/// Applies the project's versioned PostgreSQL schema (the Orleans provider tables and queries, and the project's
/// own tables). Safe to run again and from several silos at once: an advisory lock serializes runners, each
/// script runs in its own transaction, and applied scripts are recorded with a checksum so an edited script
/// is refused instead of silently diverging.
/// <para>
/// The migrator runs as the schema's owner. Each run that changes anything also grants <see cref="ApplicationRole"/>
/// what the product needs and nothing more: it reads and writes the tables but may only add to the audit trail,
/// and owns nothing, so it cannot alter a table, disable a trigger or truncate. Silos and the API connect as a
/// login member of that role (docs/operations.md, "Database roles"). A schema already up to date is left alone
/// without a statement that needs the owner, so a silo connected as the application role starts.
/// </para>
/// </summary>
public sealed class SchemaMigrator(string connectionString)
{
    /// <summary>The group role the product's login role is a member of.</summary>
    public const string ApplicationRole = "leadscoring_app";

    // Arbitrary but fixed: every LeadScoring process contends on the same advisory lock.
    private const long AdvisoryLockKey = 0x4C_65_61_64_53_63_6F;

    // Tables in the current schema: all but the audit trail read and written; the audit trail read and added to;
    // the migration record read only.
    private const string GrantsSql = $$"""
        DO $grants$
        BEGIN
            BEGIN
                CREATE ROLE {{ApplicationRole}} NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END;
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO {{ApplicationRole}}', current_schema());
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO {{ApplicationRole}}', current_schema());
            EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO {{ApplicationRole}}', current_schema());
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {{ApplicationRole}};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON leadscoring_schema_migrations FROM {{ApplicationRole}};
        END
        $grants$
        """;

    public static IReadOnlyList<Migration> BundledMigrations { get; } = LoadBundledMigrations();

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (await IsUpToDateAsync(connection, cancellationToken) is { } upToDate)
        {
            return new MigrationReport([], upToDate);
        }

        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS leadscoring_schema_migrations
                (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var newlyApplied = new List<Migration>();
            foreach (var migration in BundledMigrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Version} ({migration.Name}) was changed after it was applied. " +
                            "Applied migrations are immutable: add a new migration instead.");
                    }

                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO leadscoring_schema_migrations (version, name, checksum) VALUES (@v, @n, @c)",
                    connection, transaction))
                {
                    record.Parameters.AddWithValue("v", migration.Version);
                    record.Parameters.AddWithValue("n", migration.Name);
                    record.Parameters.AddWithValue("c", migration.Checksum);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                newlyApplied.Add(migration);
            }

            return new MigrationReport(newlyApplied, applied.Count, await GrantApplicationRoleAsync(connection, cancellationToken));
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>The number of migrations applied when every bundled one is, unchanged, and the application role exists; otherwise null.</summary>
    private static async Task<int?> IsUpToDateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand(
            $"SELECT to_regclass('leadscoring_schema_migrations') IS NOT NULL AND EXISTS (SELECT FROM pg_roles WHERE rolname = '{ApplicationRole}')", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }

        var applied = await ReadAppliedAsync(connection, cancellationToken);
        return BundledMigrations.All(m => applied.GetValueOrDefault(m.Version) == m.Checksum) ? applied.Count : null;
    }

    /// <summary>Creates and grants <see cref="ApplicationRole"/>; why it could not, or null.</summary>
    private static async Task<string?> GrantApplicationRoleAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, null, GrantsSql, cancellationToken);
            return null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return $"the role {ApplicationRole} could not be created or granted ({e.MessageText}): " +
                $"a superuser runs CREATE ROLE {ApplicationRole} NOLOGIN; then migrate runs again";
        }
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM leadscoring_schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadBundledMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("migrations/", StringComparison.Ordinal)))
        {
            var fileName = resource["migrations/".Length..];
            var underscore = fileName.IndexOf('_');
            var version = int.Parse(fileName[..underscore], System.Globalization.CultureInfo.InvariantCulture);
            var name = Path.GetFileNameWithoutExtension(fileName[(underscore + 1)..]);
            migrations.Add(new Migration(version, name, ReadResource(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        if (migrations.Select(m => m.Version).Distinct().Count() != migrations.Count)
        {
            throw new InvalidOperationException("Two bundled migrations share a version number.");
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
