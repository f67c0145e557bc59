namespace LeadScoring.Grains.Interfaces;

/// <summary>A workspace's scoring settings as the silos hold them (keyed by the workspace; stateless).</summary>
[Alias("LeadScoring.IWorkspaceSettingsGrain")]
public interface IWorkspaceSettingsGrain : IGrainWithStringKey
{
    /// <summary>The scores at which grades A, B and C begin (LeadScoring:Scoring:Grades, or the workspace's own).</summary>
    [Alias("GetGradeBands")]
    Task<GradeBands> GetGradeBands();
}

/// <summary>A score at or above <see cref="A"/> is grade A, at or above <see cref="B"/> B, at or above <see cref="C"/> C, else D.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.GradeBands")]
public sealed record GradeBands([property: Id(0)] double A, [property: Id(1)] double B, [property: Id(2)] double C)
{
    public string GradeOf(double score) => score >= A ? "A" : score >= B ? "B" : score >= C ? "C" : "D";
}
