using System.Text;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Training;

/// <summary>./run.sh train on inputs it cannot use: one line naming the problem, exit code 2.</summary>
[Trait("Category", "Process")]
public class TrainCommandTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "missing file", "--data /nonexistent/leads.csv --label converted", "no such file" },
        { "unknown label", "--data {file} --label outcome", "unknown label column 'outcome'" },
        { "one class", "--data {one-class} --label converted", "one class" },
        { "too few rows", "--data {few} --label converted", "at least 50" },
        { "too few of a class", "--data {rare} --label converted", "at least 10 of each" },
        { "unparseable", "--data {broken} --label converted", "not closed" },
        { "no label option", "--data {file}", "needs --label" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Unusable_input_is_a_one_line_error_with_exit_code_2(string name, string arguments, string message)
    {
        var directory = Directory.CreateTempSubdirectory("leadscoring-train-");
        try
        {
            var files = new Dictionary<string, string>
            {
                ["{file}"] = Write(directory, "ok.csv", Rows(200, i => i % 3 == 0)),
                ["{one-class}"] = Write(directory, "one.csv", Rows(200, _ => false)),
                ["{few}"] = Write(directory, "few.csv", Rows(30, i => i % 2 == 0)),
                ["{rare}"] = Write(directory, "rare.csv", Rows(200, i => i < 5)),
                ["{broken}"] = Write(directory, "broken.csv", "converted,visits\nyes,\"3\n"),
            };
            foreach (var (token, path) in files)
            {
                arguments = arguments.Replace(token, path, StringComparison.Ordinal);
            }

            var (exitCode, stderr) = await RunTrain(arguments);

            Assert.True(exitCode == 2, $"{name}: exit code {exitCode}, stderr: {stderr}");
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(message, line, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string Rows(int count, Func<int, bool> converted)
    {
        var text = new StringBuilder("converted,visits,industry\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(converted(i) ? "yes" : "no").Append(',').Append(i % 17).Append(',').Append(i % 2 == 0 ? "retail" : "software").Append('\n');
        }

        return text.ToString();
    }

    private static string Write(DirectoryInfo directory, string name, string content)
    {
        var path = Path.Combine(directory.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int ExitCode, string Stderr)> RunTrain(string arguments)
    {
        var (exitCode, _, stderr) = await SiloCommandLine.RunAsync($"train {arguments}");
        return (exitCode, stderr);
    }
}
