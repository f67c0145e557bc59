using System.Diagnostics;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>Runs a command of LeadScoring.Silo (what ./run.sh runs: train, import, ...) as its own process.</summary>
public static class SiloCommandLine
{
    /// <returns>The exit code, what it wrote to standard output, and to standard error.</returns>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{RepositoryPaths.SiloDll}\" {arguments}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        ChildEnvironment.Apply(start, environment ?? new Dictionary<string, string>());

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout, await stderr);
    }
}
