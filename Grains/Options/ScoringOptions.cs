using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Grains.Options;

/// <summary>Tunables of live scoring (configuration section "LeadScoring:Scoring").</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "LeadScoring:Scoring";

    /// <summary>How long a silo trusts its knowledge of a workspace's champion before asking the registry again.</summary>
    public TimeSpan ChampionRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Grade thresholds on the 0-100 score for workspaces without their own.</summary>
    public GradeThresholds Grades { get; set; } = new();

    /// <summary>Grade thresholds per workspace.</summary>
    public Dictionary<string, GradeThresholds> WorkspaceGrades { get; set; } = new(StringComparer.Ordinal);

    public GradeThresholds GradesOf(string workspace) => WorkspaceGrades.GetValueOrDefault(workspace) ?? Grades;
}
