using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;
using LeadScoring.Modeling.Tests.Training;

namespace LeadScoring.Modeling.Tests.Scoring;

public class EnsembleExplainerTests(TrainedSyntheticModel trained) : IClassFixture<TrainedSyntheticModel>
{
    [Fact]
    public void Contributions_add_up_to_the_calibrated_log_odds_the_predictor_gives()
    {
        var artifact = ModelArtifact.Deserialize(trained.Result.Artifact.Serialize());
        var predictor = new ModelPredictor(artifact);
        var rows = predictor.Encoder.EncodeRows(trained.Table, [.. Enumerable.Range(0, 60)]);
        var baseScores = predictor.BaseScores(rows);

        for (var i = 0; i < rows.Length; i++)
        {
            var explanation = EnsembleExplainer.Explain(artifact, artifact.Explanations!, rows[i]);
            var logOdds = artifact.Stacker.LogOdds(baseScores[i]);

            Assert.Equal(explanation.OutputValue, explanation.BaseValue + explanation.Contributions.Sum(), 9);
            Assert.InRange(explanation.OutputValue - logOdds, -1e-4, 1e-4);
        }
    }

    [Fact]
    public void The_base_value_is_the_same_for_every_lead_and_the_leaky_column_explains_most()
    {
        var artifact = trained.Result.Artifact;
        var encoder = new FeatureEncoder(artifact.Encoding);
        var rows = encoder.EncodeRows(trained.Table, [.. Enumerable.Range(0, 40)]);
        var explanations = rows.Select(r => EnsembleExplainer.Explain(artifact, artifact.Explanations!, r)).ToList();
        var byColumn = encoder.Slots.Select((slot, i) => (slot.Column, Mean: explanations.Average(e => Math.Abs(e.Contributions[i]))))
            .GroupBy(p => p.Column).ToDictionary(g => g.Key, g => g.Sum(p => p.Mean));

        Assert.All(explanations, e => Assert.Equal(explanations[0].BaseValue, e.BaseValue, 12));
        Assert.Equal("status", byColumn.MaxBy(p => p.Value).Key);
    }
}
