namespace LeadScoring.Grains.Options;

/// <summary>Which attributes are personal (configuration section "LeadScoring:PersonalData").</summary>
public sealed class PersonalDataOptions
{
    public const string SectionName = "LeadScoring:PersonalData";

    /// <summary>Attribute names (case-insensitive) that are personal in every workspace.</summary>
    public List<string> Attributes { get; set; } = ["email", "name", "phone", "first_name", "last_name", "full_name", "phone_number", "mobile", "address"];

    /// <summary>Further personal attribute names per workspace, on top of <see cref="Attributes"/>.</summary>
    public Dictionary<string, List<string>> WorkspaceAttributes { get; set; } = new(StringComparer.Ordinal);

    public bool IsPersonal(string workspace, string attribute) =>
        Attributes.Contains(attribute, StringComparer.OrdinalIgnoreCase)
        || (WorkspaceAttributes.TryGetValue(workspace, out var extra) && extra.Contains(attribute, StringComparer.OrdinalIgnoreCase));
}
