using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;
using LeadScoring.Modeling.Tests.Training;

namespace LeadScoring.Modeling.Tests.Scoring;

public class MlNetTreesTests
{
    [Theory]
    [InlineData(BaseModelKind.GradientBoosting, BoostingLearner.FastTree)]
    [InlineData(BaseModelKind.GradientBoosting, BoostingLearner.LightGbm)]
    [InlineData(BaseModelKind.RandomForest, BoostingLearner.FastTree)]
    public void Extracted_trees_reproduce_the_ml_net_raw_score_also_after_a_save_and_load(BaseModelKind kind, BoostingLearner learner)
    {
        var table = SyntheticLeads.Create(500);
        var rows = Enumerable.Range(0, table.Rows.Count).ToList();
        var (schema, _) = SchemaInference.Infer(table, ["visits", "industry", "newsletter", "signup_date"]);
        var encoder = FeatureEncoder.Fit(table, rows, schema);
        var x = encoder.EncodeRows(table, rows);
        var labels = table.Rows.Select(r => r[^1] == "yes").ToArray();
        var models = new BaseModels(seed: 3);
        var model = models.Train(kind, x, labels, 1, new BoostingSettings(60, 8, 0.1, 10, learner), encoder.Width);
        var reloaded = models.Load(models.Save(model, encoder.Width));

        var expected = models.Score(model, x, encoder.Width);
        var fromOriginal = MlNetTrees.Extract(model, x);
        var fromReloaded = MlNetTrees.Extract(reloaded, x);

        // ML.NET sums in single precision; the extracted trees in double.
        for (var i = 0; i < x.Length; i++)
        {
            var tolerance = 1e-6 * Math.Max(1, Math.Abs(expected[i]));
            Assert.InRange(fromOriginal.Evaluate(x[i]) - expected[i], -tolerance, tolerance);
            Assert.InRange(fromReloaded.Evaluate(x[i]) - expected[i], -tolerance, tolerance);
        }

        Assert.All(fromOriginal.Trees, t => Assert.Equal(x.Length, t.LeafCover.Sum()));
    }
}
