using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Clients;

/// <summary>The checked-in typed client is exactly what the pinned Kiota generates from the checked-in document.</summary>
[Trait("Category", "Process")]
public class TypedClientGenerationTests
{
    [Fact]
    public async Task The_checked_in_client_is_what_Kiota_generates_from_the_checked_in_document()
    {
        var generated = Directory.CreateTempSubdirectory("leadscoring-client-").FullName;
        try
        {
            await CommandLine.RunCheckedAsync(Path.Combine(RepositoryPaths.Root, "scripts", "generate-client.sh"), ["--output", generated]);
            var checkedIn = Path.Combine(RepositoryPaths.Root, "Client", "Generated");

            Assert.Equal(Files(checkedIn), Files(generated));
            foreach (var file in Files(checkedIn))
            {
                Assert.True(Comparable(checkedIn, file) == Comparable(generated, file), $"Client/Generated/{file} differs from what Kiota generates: run scripts/generate-client.sh");
            }
        }
        finally
        {
            Directory.Delete(generated, recursive: true);
        }
    }

    private static List<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];

    /// <summary>A file's text, without the lock file's path to the document, which is relative to where it was generated.</summary>
    private static string Comparable(string root, string file)
    {
        var lines = File.ReadAllLines(Path.Combine(root, file));
        return string.Join('\n', file == "kiota-lock.json" ? lines.Where(l => !l.Contains("\"descriptionLocation\"", StringComparison.Ordinal)) : lines);
    }
}
