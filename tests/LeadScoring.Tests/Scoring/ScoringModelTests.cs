using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Training;
using LeadScoring.Tests.Training;

namespace LeadScoring.Tests.Scoring;

public class ScoringModelTests(TrainedSyntheticModel trained) : IClassFixture<TrainedSyntheticModel>
{
    [Fact]
    public void Direct_scoring_matches_the_ml_net_models_and_is_safe_to_share_between_threads()
    {
        var artifact = ModelArtifact.Deserialize(trained.Result.Artifact.Serialize());
        var mlNet = new ModelPredictor(artifact);
        var direct = new ScoringModel(artifact);
        var rows = direct.Encoder.EncodeRows(trained.Table, [.. Enumerable.Range(0, trained.Table.Rows.Count)]);
        var expected = mlNet.Probabilities(rows);

        var actual = new double[rows.Length];
        Parallel.For(0, rows.Length, i => actual[i] = direct.Probability(rows[i]));

        for (var i = 0; i < rows.Length; i++)
        {
            Assert.InRange(actual[i] - expected[i], -1e-5, 1e-5);
        }
    }

    [Fact]
    public void A_lead_is_encoded_by_column_name_and_unknown_columns_count_as_missing()
    {
        var direct = new ScoringModel(trained.Result.Artifact);
        var row = trained.Table.Rows[3];
        var byName = direct.Encoder.Encode(column => row[trained.Table.IndexOf(column)]);
        var fromTable = direct.Encoder.EncodeRows(trained.Table, [3])[0];
        var empty = direct.Encoder.Encode(_ => null);

        Assert.Equal(fromTable, byName);
        Assert.InRange(direct.Probability(empty), 0, 1);
        // The explanation's output is the log-odds of the probability served.
        Assert.Equal(direct.Probability(byName), LogisticStacker.Sigmoid(direct.Explain(byName).OutputValue), 9);
    }
}
