using System.Reflection;
using System.Text.RegularExpressions;
using LeadScoring.Modeling.Features;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

/// <summary>The shape of the repository as the docs describe it: the layers, the file sizes, the links and the folder table.</summary>
[Trait("Category", "Layout")]
public partial class LayoutTests
{
    private static readonly string[] ProductProjects = ["Grains.Interfaces", "Modeling", "Grains", "Common", "Api", "Silo"];

    [Fact]
    public void The_modeling_library_references_no_orleans_runtime_storage_or_web_assembly()
    {
        var references = typeof(FeatureEngine).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Microsoft.ML.Core", references);
        Assert.DoesNotContain(references, name =>
            name is "Orleans.Core" or "Orleans.Runtime" or "Npgsql" || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        var projectFile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Modeling", "Modeling.csproj"));
        Assert.DoesNotMatch(ProjectReferenceTo("Grains|Common|Api|Silo"), projectFile);
    }

    [Fact]
    public void No_file_of_the_products_code_is_over_400_lines()
    {
        var tooLong = ProductProjects
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, project), "*.cs", SearchOption.AllDirectories))
            .Where(path => !IsBuildOutput(path))
            .Select(path => (Path: Path.GetRelativePath(RepositoryPaths.Root, path), Lines: File.ReadAllLines(path).Length))
            .Where(file => file.Lines > 400)
            .ToList();

        Assert.Empty(tooLong);
    }

    [Fact]
    public void The_readme_is_short_and_every_relative_link_in_it_and_the_docs_reaches_a_file_and_heading()
    {
        var documents = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md").Prepend(Path.Combine(RepositoryPaths.Root, "README.md")).ToList();
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var document in documents)
        {
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(document)))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                checkedLinks++;
                var (file, anchor) = target.Split('#', 2) is [var f, var a] ? (f, a) : (target, null);
                var path = file.Length == 0 ? document : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, file));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{Path.GetFileName(document)}: {target} (no such file)");
                }
                else if (anchor is not null && !Anchors(path).Contains(anchor))
                {
                    broken.Add($"{Path.GetFileName(document)}: {target} (no such heading)");
                }
            }
        }

        Assert.True(File.ReadAllLines(documents[0]).Length < 250, "README.md is 250 lines or more");
        Assert.True(checkedLinks >= 20, $"only {checkedLinks} relative links found");
        Assert.Empty(broken);
    }

    [Fact]
    public void The_architecture_folder_table_lists_every_folder_and_only_folders_that_exist()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "architecture.md"));
        var listed = FolderRow().Matches(text).Select(m => m.Groups["folder"].Value.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        var existing = Folders(RepositoryPaths.Root, depth: 2).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(existing.Except(listed).Order());
        Assert.Empty(listed.Where(folder => !Directory.Exists(Path.Combine(RepositoryPaths.Root, folder))).Order());
    }

    /// <summary>The folders up to <paramref name="depth"/> below the root that hold files, build output and hidden folders aside (.ci excepted).</summary>
    private static IEnumerable<string> Folders(string root, int depth) =>
        Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = depth - 1 })
            .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(folder => !folder.Split('/').Any(part => part is "bin" or "obj" or "TestResults" || (part.StartsWith('.') && part != ".ci")))
            .Where(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories).Any(file => !IsBuildOutput(file)));

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");

    /// <summary>The anchors a Markdown renderer gives the file's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Anchors(string path) =>
        File.ReadLines(path).Where(line => line.StartsWith('#'))
            .Select(line => Regex.Replace(line.TrimStart('#').Trim().ToLowerInvariant(), @"[^\p{L}\p{Nd}\- _]", "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    private static Regex ProjectReferenceTo(string projects) => new($@"ProjectReference Include=""[^""]*\\({projects})\\");

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^\| `(?<folder>[^`]+/)` \|", RegexOptions.Multiline)]
    private static partial Regex FolderRow();
}
