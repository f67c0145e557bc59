using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;
using LeadScoring.Modeling.Tests.Training;

namespace LeadScoring.Modeling.Tests.Scoring;

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

    [Fact]
    public void Path_attributions_add_up_to_the_calibrated_log_odds_and_agree_in_sign_with_shapley_values_on_the_strongest_feature()
    {
        var direct = new ScoringModel(trained.Result.Artifact);
        var rows = direct.Encoder.EncodeRows(trained.Table, [.. Enumerable.Range(0, 200)]);
        var sameSign = 0;
        foreach (var row in rows)
        {
            var attributions = new double[row.Length];
            var output = direct.ScoreWithAttribution(row, attributions);
            var logOdds = Math.Log(output.Probability / (1 - output.Probability));
            Assert.Equal(logOdds, direct.AttributionBase + attributions.Sum(), 6);
            Assert.Equal(direct.Probability(row), output.Probability, 12);

            var shapley = direct.Explain(row).Contributions;
            var strongest = Enumerable.Range(0, row.Length).MaxBy(i => Math.Abs(shapley[i]));
            sameSign += Math.Sign(shapley[strongest]) == Math.Sign(attributions[strongest]) ? 1 : 0;
        }

        // Path attributions are not Shapley values, but they must not contradict them where it matters most.
        Assert.True(sameSign >= 190, $"{sameSign} of 200");
    }
}
