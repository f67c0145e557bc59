using System.Diagnostics;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>
/// The environment of a process a test starts: what the machine needs to run dotnet, and the variables the test
/// means, nothing else of the runner's. A LEADSCORING_POSTGRES exported in the runner's shell would otherwise turn
/// a memory-mode test into a PostgreSQL one, and a LeadScoring__* setting would change what is tested.
/// </summary>
public static class ChildEnvironment
{
    private static readonly string[] Inherited = ["PATH", "HOME", "USER", "TMPDIR", "LANG", "LC_ALL", "DOTNET_ROOT", "DOTNET_CLI_HOME", "NUGET_PACKAGES"];

    public static void Apply(ProcessStartInfo start, IReadOnlyDictionary<string, string> meant)
    {
        var kept = Inherited.Where(name => start.Environment.TryGetValue(name, out var value) && value is not null).ToDictionary(name => name, name => start.Environment[name]!);
        start.Environment.Clear();
        foreach (var (name, value) in kept.Concat(meant))
        {
            start.Environment[name] = value;
        }
    }
}
