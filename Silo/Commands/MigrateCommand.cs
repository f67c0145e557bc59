using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace LeadScoring.Silo.Commands;

/// <summary>
/// ./run.sh migrate: the schema, as its owner (LEADSCORING_POSTGRES_OWNER, else LEADSCORING_POSTGRES), and the
/// application role; when the product connects as another role, that role is made a member of it, or the
/// statement an operator must run is printed.
/// </summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        if (ClusterSettings.MigrationConnectionString(configuration) is not { Length: > 0 } ownerConnection)
        {
            return Usage.Fail($"migrate needs {ClusterSettings.PostgresVariable} (an Npgsql connection string), and {ClusterSettings.OwnerVariable} when another role owns the schema");
        }

        var report = await new SchemaMigrator(ownerConnection).MigrateAsync();
        foreach (var migration in report.Applied)
        {
            Console.WriteLine($"applied {migration.Version:D4} {migration.Name}");
        }

        Console.WriteLine($"schema up to date: {report.Applied.Count} applied now, {report.AlreadyApplied} already applied");
        var owner = new NpgsqlConnectionStringBuilder(ownerConnection).Username;
        var product = configuration[ClusterSettings.PostgresVariable] is { Length: > 0 } runtime ? new NpgsqlConnectionStringBuilder(runtime).Username : null;
        if (product is null || product == owner)
        {
            // One role for everything: it needs no application role, and works, with the audit trail less protected.
            Console.WriteLine($"the product connects as the schema's owner ({owner}): it could alter the audit trail; see docs/operations.md, \"Database roles\"");
            return 0;
        }

        if (report.RoleProblem is not null)
        {
            Console.Error.WriteLine(report.RoleProblem);
            return 1;
        }

        try
        {
            await using var connection = new NpgsqlConnection(ownerConnection);
            await connection.OpenAsync();
            await using var grant = new NpgsqlCommand($"GRANT {SchemaMigrator.ApplicationRole} TO \"{product.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await grant.ExecuteNonQueryAsync();
            Console.WriteLine($"{product} is a member of {SchemaMigrator.ApplicationRole}");
            return 0;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.UndefinedObject)
        {
            Console.Error.WriteLine($"{product} could not be made a member of {SchemaMigrator.ApplicationRole} ({e.MessageText}); a superuser runs:");
            Console.Error.WriteLine($"  CREATE ROLE \"{product}\" LOGIN PASSWORD '...' IN ROLE {SchemaMigrator.ApplicationRole};   -- or, when it exists:");
            Console.Error.WriteLine($"  GRANT {SchemaMigrator.ApplicationRole} TO \"{product}\";");
            return 1;
        }
    }
}
