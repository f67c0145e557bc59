using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Import;

/// <summary>./run.sh import on a command line it cannot run, or with no API to reach: one clear line, no stack trace.</summary>
[Trait("Category", "Process")]
public class ImportCommandTests
{
    private static readonly string XEducation = Path.Combine(RepositoryPaths.Root, "..", "shared", "data", "leads-xeducation.csv");

    [Theory]
    [InlineData("--data {file}", 2, "needs --data FILE and --id-column COLUMN")]
    [InlineData("--data /nonexistent.csv --id-column id", 2, "no such file: /nonexistent.csv")]
    [InlineData("--data {file} --id-column id --rows 5", 2, "unknown or incomplete option '--rows'")]
    [InlineData("--data {file} --id-column id --api http://127.0.0.1:1", 1, "the API at http://127.0.0.1:1/ could not be reached")]
    public async Task A_command_that_cannot_run_says_why_in_a_line_with_its_exit_code(string arguments, int exitCode, string message)
    {
        var (code, stdout, stderr) = await SiloCommandLine.RunAsync($"import {arguments.Replace("{file}", $"\"{XEducation}\"", StringComparison.Ordinal)}");

        Assert.True(code == exitCode, $"exit code {code}: {stdout}{stderr}");
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
