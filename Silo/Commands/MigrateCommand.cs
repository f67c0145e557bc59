using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Storage;

namespace LeadScoring.Silo.Commands;

internal static class MigrateCommand
{
    public static async Task<int> RunAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(ClusterSettings.PostgresVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return Usage.Fail($"migrate needs {ClusterSettings.PostgresVariable} (an Npgsql connection string)");
        }

        var report = await new SchemaMigrator(connectionString).MigrateAsync();
        foreach (var migration in report.Applied)
        {
            Console.WriteLine($"applied {migration.Version:D4} {migration.Name}");
        }

        Console.WriteLine($"schema up to date: {report.Applied.Count} applied now, {report.AlreadyApplied} already applied");
        return 0;
    }
}
