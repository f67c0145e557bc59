namespace LeadScoring.Grains.Options;

/// <summary>The lead index (configuration section "LeadScoring:Index").</summary>
public sealed class LeadIndexOptions
{
    public const string SectionName = "LeadScoring:Index";

    /// <summary>The attributes the index keeps, so lists can filter on them (none unless named).</summary>
    public List<string> Attributes { get; set; } = [];

    /// <summary>A workspace's own list instead of <see cref="Attributes"/>.</summary>
    public Dictionary<string, List<string>> WorkspaceAttributes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a list's cursor reads the index as it was at its first page.</summary>
    public TimeSpan CursorLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public IReadOnlyList<string> AttributesOf(string workspace) => WorkspaceAttributes.GetValueOrDefault(workspace) ?? Attributes;
}
