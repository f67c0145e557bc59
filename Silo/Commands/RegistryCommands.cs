using System.Globalization;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace LeadScoring.Silo.Commands;

/// <summary>./run.sh models | promote | rollback | simulated-model: the model registry from the command line (PostgreSQL mode).</summary>
internal static class RegistryCommands
{
    /// <summary>The PostgreSQL registry, with the schema migrated; the command line has no memory-mode registry.</summary>
    public static async Task<IModelRegistry> OpenAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(ClusterSettings.PostgresVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new TrainingInputException($"the model registry needs {ClusterSettings.PostgresVariable} (memory mode keeps models only inside a running silo)");
        }

        await new SchemaMigrator(ClusterSettings.MigrationConnectionString(new ConfigurationBuilder().AddEnvironmentVariables().Build())!).MigrateAsync();
        return new PostgresModelRegistry(NpgsqlDataSource.Create(connectionString));
    }

    public static async Task<int> RunAsync(string verb, string[] args)
    {
        try
        {
            var workspace = args.SkipWhile(a => a != "--workspace").Skip(1).FirstOrDefault()
                ?? throw new TrainingInputException($"{verb} needs --workspace W");
            var version = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).FirstOrDefault();
            var registry = await OpenAsync();
            switch (verb)
            {
                case "models":
                    foreach (var model in await registry.ListAsync(workspace))
                    {
                        var h = model.Report.Holdout;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{(model.IsChampion ? "*" : " ")} {model.Version,-6} {model.CreatedAt:yyyy-MM-dd HH:mm:ss}  AUC {h.Auc:0.0000}  accuracy {h.Accuracy:0.0000}  ECE {h.Ece:0.0000}  rows {model.Report.Rows}  data {model.DataFingerprint[..12]}"));
                    }

                    return 0;
                case "promote":
                    if (version is null)
                    {
                        throw new TrainingInputException("promote needs a VERSION");
                    }

                    if (!await registry.PromoteAsync(workspace, version, "promoted from the command line"))
                    {
                        throw new TrainingInputException($"workspace '{workspace}' has no model version '{version}'");
                    }

                    Console.WriteLine($"{version} is the champion of '{workspace}'");
                    return 0;
                case "simulated-model":
                    var seed = int.TryParse(args.SkipWhile(a => a != "--seed").Skip(1).FirstOrDefault(), CultureInfo.InvariantCulture, out var s) ? s : 1;
                    var result = Modeling.Simulation.SimulatedHistory.Train(workspace, InitialModelService.SimulatedLeads, seed, DateTimeOffset.UtcNow, new Modeling.Features.FeatureOptions());
                    var registered = await registry.RegisterAsync(workspace, result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{registered.Version} registered in '{workspace}' (SIMULATED history, seed {seed}, holdout AUC {result.Report.Holdout.Auc:0.000}); promote it to use it"));
                    return 0;
                default:
                    var champion = await registry.RollbackAsync(workspace)
                        ?? throw new TrainingInputException($"workspace '{workspace}' has no earlier champion to roll back to");
                    Console.WriteLine($"rolled back: {champion} is the champion of '{workspace}' again");
                    return 0;
            }
        }
        catch (Exception e) when (e is TrainingInputException or NpgsqlException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
