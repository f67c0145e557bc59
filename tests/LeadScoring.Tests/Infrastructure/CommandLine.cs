using System.Diagnostics;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>Runs a program to its end, capturing what it writes.</summary>
public static class CommandLine
{
    /// <returns>The exit code, what it wrote to standard output, and to standard error.</returns>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout, await stderr);
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>; its standard output, or an exception with all it wrote when it fails.</summary>
    public static async Task<string> RunCheckedAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var (exitCode, stdout, stderr) = await RunAsync(start);
        return exitCode == 0
            ? stdout
            : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {exitCode}: {stdout}{stderr}");
    }
}
