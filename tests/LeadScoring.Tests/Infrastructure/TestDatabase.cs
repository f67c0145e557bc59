using LeadScoring.Grains.Storage;
using Npgsql;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>
/// A fresh database on the private PostgreSQL server that test.sh starts (LEADSCORING_TEST_POSTGRES),
/// dropped when disposed, so that test classes never see each other's rows.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "LEADSCORING_TEST_POSTGRES";

    /// <summary>The login role the product connects as in tests: a member of the application role, owner of nothing.</summary>
    public const string RuntimeRole = "leadscoring_test_runtime";

    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The owner's connection (the test server's superuser): migrations, and the tests' own reads.</summary>
    public string ConnectionString { get; }

    /// <summary>The product's connection, as <see cref="RuntimeRole"/>; usable once <see cref="MigrateAsync"/> ran.</summary>
    public string RuntimeConnectionString => new NpgsqlConnectionStringBuilder(ConnectionString) { Username = RuntimeRole, Password = null }.ConnectionString;

    /// <summary>Applies the schema as its owner and makes <see cref="RuntimeRole"/> a member of the application role.</summary>
    public async Task MigrateAsync()
    {
        var report = await new SchemaMigrator(ConnectionString).MigrateAsync();
        Assert.Null(report.RoleProblem);
        // Roles belong to the server, shared by the test databases migrating at the same time.
        await ScalarAsync($"""
            DO $runtime$
            BEGIN
                BEGIN
                    CREATE ROLE {RuntimeRole} LOGIN;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END;
                BEGIN
                    GRANT {SchemaMigrator.ApplicationRole} TO {RuntimeRole};
                EXCEPTION WHEN unique_violation THEN NULL;
                END;
            END
            $runtime$
            """);
    }

    /// <summary>A fresh database on the shared test server, or on <paramref name="server"/> (a connection string) when given.</summary>
    public static async Task<TestDatabase> CreateAsync(string? server = null)
    {
        server ??= Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{ServerVariable} is not set: run the tests through ./test.sh, which starts a private PostgreSQL server.");
        }

        var name = $"leadscoring_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(server, name, builder.ConnectionString);
    }

    /// <summary>
    /// Holds <paramref name="table"/> locked against every reader and writer until disposed: a test's way to keep
    /// the system at a step it must not pass yet, instead of hoping a sleep is long enough.
    /// </summary>
    public async Task<IAsyncDisposable> LockTableAsync(string table)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        return new TableLock(connection, transaction);
    }

    /// <summary>Every table the project's migrations create (and do not drop): a new table is covered without a test naming it.</summary>
    public static IReadOnlyList<string> MigratedTables { get; } = TablesOfMigrations();

    /// <summary>
    /// Each of <see cref="MigratedTables"/> but <paramref name="except"/>, with its row count and a hash of its rows
    /// as text: what "nothing was stored" compares before and after.
    /// </summary>
    public async Task<Dictionary<string, string>> FingerprintAsync(IReadOnlySet<string> except)
    {
        var tables = MigratedTables.Where(t => !except.Contains(t)).ToList();
        var sql = string.Join(" UNION ALL ", tables.Select(t =>
            $"SELECT '{t}', count(*) || ':' || coalesce(md5(string_agg(r::text, ',' ORDER BY r::text)), '') FROM {t} r"));
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var fingerprint = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            fingerprint[reader.GetString(0)] = reader.GetString(1);
        }

        return fingerprint;
    }

    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql));

    /// <summary>The first column of every row, as text.</summary>
    public async Task<List<string>> StringsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0).ToString()!);
        }

        return values;
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static List<string> TablesOfMigrations()
    {
        var created = new List<string> { "leadscoring_schema_migrations" };
        foreach (var migration in SchemaMigrator.BundledMigrations)
        {
            created.AddRange(System.Text.RegularExpressions.Regex.Matches(migration.Sql, @"(?im)^\s*CREATE TABLE (?:IF NOT EXISTS )?(\w+)").Select(m => m.Groups[1].Value.ToLowerInvariant()));
            foreach (System.Text.RegularExpressions.Match dropped in System.Text.RegularExpressions.Regex.Matches(migration.Sql, @"(?i)DROP TABLE (?:IF EXISTS )?(\w+)"))
            {
                created.Remove(dropped.Groups[1].Value.ToLowerInvariant());
            }
        }

        return [.. created.Distinct()];
    }

    private sealed class TableLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.CommitAsync();
            await connection.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
