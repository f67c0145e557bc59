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

    [Fact]
    public async Task A_relative_path_is_read_from_where_the_user_runs_run_sh()
    {
        var folder = Directory.CreateTempSubdirectory("leadscoring-export.").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "leads.csv"), "id,industry\nL1,software\n");
            var start = new System.Diagnostics.ProcessStartInfo("bash") { WorkingDirectory = folder };
            foreach (var argument in new[] { RepositoryPaths.RunScript, "import", "--data", "leads.csv", "--id-column", "id", "--api", "http://127.0.0.1:1" })
            {
                start.ArgumentList.Add(argument);
            }

            ChildEnvironment.Apply(start, new Dictionary<string, string> { ["LEADSCORING_SKIP_BUILD"] = "1" });
            var (code, stdout, stderr) = await CommandLine.RunAsync(start);

            // The file was found: the command got as far as the API.
            Assert.True(code == 1 && stderr.Contains("could not be reached", StringComparison.Ordinal), $"exit code {code}: {stdout}{stderr}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
