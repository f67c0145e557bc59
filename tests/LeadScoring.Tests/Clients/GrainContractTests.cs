using System.Reflection;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Clients;

/// <summary>
/// What a client built against an earlier Grains.Interfaces relies on, recorded in grain-contract.txt: each
/// serialized type's alias and its members' ids and types, each enum's values, each grain interface's alias and
/// its methods' aliases and signatures. A line that changes or goes away breaks such a client (and, for state
/// records, the grain state PostgreSQL holds); a new line is additive and is recorded so that it is kept too.
/// </summary>
public class GrainContractTests
{
    private static readonly string Recorded = Path.Combine(RepositoryPaths.Root, "tests", "LeadScoring.Tests", "Clients", "grain-contract.txt");

    [Fact]
    public void Every_recorded_contract_line_still_holds_and_every_new_one_is_recorded()
    {
        var current = Describe(typeof(ILeadGrain).Assembly);
        var recorded = File.ReadAllLines(Recorded).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var written = Path.Combine(Path.GetTempPath(), "grain-contract.txt");
        File.WriteAllLines(written, ["# Grains.Interfaces as clients see it: tests/LeadScoring.Tests/Clients/GrainContractTests.cs", .. current]);

        var broken = recorded.Except(current, StringComparer.Ordinal).ToList();
        Assert.True(broken.Count == 0, $"These lines of the contract no longer hold, which breaks clients built against it (docs/clients.md):\n{string.Join('\n', broken)}");
        var added = current.Except(recorded, StringComparer.Ordinal).ToList();
        Assert.True(added.Count == 0, $"New contract lines, additive: record them by copying {written} over {Recorded}:\n{string.Join('\n', added)}");
    }

    private static List<string> Describe(Assembly contract)
    {
        var lines = new List<string>();
        foreach (var type in contract.GetTypes().Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null))
        {
            var alias = Alias(type);
            if (type.IsEnum)
            {
                lines.AddRange(Enum.GetNames(type).Select(name => $"enum {alias} {name} = {Convert.ToInt64(Enum.Parse(type, name), System.Globalization.CultureInfo.InvariantCulture)}"));
                continue;
            }

            lines.Add($"type {alias}");
            foreach (var member in type.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (member.GetCustomAttribute<IdAttribute>() is { } id && member is PropertyInfo or FieldInfo)
                {
                    var memberType = member is PropertyInfo property ? property.PropertyType : ((FieldInfo)member).FieldType;
                    lines.Add($"type {alias} #{id.Id}: {Name(memberType)}");
                }
            }
        }

        foreach (var grain in contract.GetTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t)))
        {
            lines.Add($"grain {Alias(grain)}");
            lines.AddRange(grain.GetMethods().Select(method =>
                $"grain {Alias(grain)} {method.GetCustomAttribute<AliasAttribute>()?.Alias ?? method.Name}({string.Join(", ", method.GetParameters().Select(p => Name(p.ParameterType)))}) -> {Name(method.ReturnType)}"));
        }

        return [.. lines.Order(StringComparer.Ordinal)];
    }

    private static string Alias(Type type) => type.GetCustomAttribute<AliasAttribute>()?.Alias ?? type.FullName!;

    /// <summary>A type as the wire knows it: its alias when it has one, generic arguments included.</summary>
    private static string Name(Type type) => type switch
    {
        { IsGenericType: true } => $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>",
        { IsArray: true } => $"{Name(type.GetElementType()!)}[]",
        _ => type.GetCustomAttribute<AliasAttribute>()?.Alias ?? type.FullName!,
    };
}
