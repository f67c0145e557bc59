using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Scoring;

/// <summary>Two models trained once per test run on simulated history (different seeds), shared by the scoring tests.</summary>
public static class SimulatedModels
{
    public static readonly DateTimeOffset Origin = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<TrainingResult> FirstModel = new(() => SimulatedHistory.Train("default", 900, seed: 3, Origin, new FeatureOptions()));
    private static readonly Lazy<TrainingResult> SecondModel = new(() => SimulatedHistory.Train("default", 900, seed: 8, Origin, new FeatureOptions()));

    public static TrainingResult First => FirstModel.Value;

    public static TrainingResult Second => SecondModel.Value;
}
