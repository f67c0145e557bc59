using System.Diagnostics;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>Runs a command of LeadScoring.Silo (what ./run.sh runs: train, import, ...) as its own process.</summary>
public static class SiloCommandLine
{
    /// <returns>The exit code, what it wrote to standard output, and to standard error.</returns>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{RepositoryPaths.SiloDll}\" {arguments}");
        ChildEnvironment.Apply(start, environment ?? new Dictionary<string, string>());
        return CommandLine.RunAsync(start);
    }
}
