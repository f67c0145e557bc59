namespace LeadScoring.Modeling.Scoring;

/// <summary>A score at or above <see cref="A"/> is grade A, at or above <see cref="B"/> B, at or above <see cref="C"/> C, else D.</summary>
public sealed class GradeThresholds
{
    public double A { get; set; } = 75;

    public double B { get; set; } = 50;

    public double C { get; set; } = 25;

    public string Grade(double score) => score >= A ? "A" : score >= B ? "B" : score >= C ? "C" : "D";
}
