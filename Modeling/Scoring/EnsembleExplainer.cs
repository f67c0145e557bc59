using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Scoring;

/// <summary>A linear model's raw score as c + Σ w·x, and the training mean of each input.</summary>
public sealed record LinearExplanationModel(double Intercept, double[] Weights, double[] Means)
{
    public double ExpectedValue() => Intercept + Weights.Select((w, i) => w * Means[i]).Sum();
}

/// <summary>
/// What the explanations need besides the ML.NET models, captured at training time: the trees with their
/// training covers and the logistic regression in its effective linear form with the training means.
/// </summary>
public sealed record ExplanationModel(TreeEnsemble RandomForest, TreeEnsemble GradientBoosting, LinearExplanationModel LogisticRegression)
{
    /// <summary>
    /// Reads the explanation model off the trained base models. The logistic regression's normalization is
    /// linear, so its effective weights are read by probing: the score at 0 and at each unit vector.
    /// </summary>
    public static ExplanationModel Capture(BaseModels models, Microsoft.ML.ITransformer forest, Microsoft.ML.ITransformer boosted,
        Microsoft.ML.ITransformer logistic, float[][] trainingRows, int width)
    {
        var probes = new float[width + 1][];
        probes[0] = new float[width];
        for (var i = 0; i < width; i++)
        {
            probes[i + 1] = new float[width];
            probes[i + 1][i] = 1;
        }

        var scores = models.Score(logistic, probes, width);
        var weights = Enumerable.Range(0, width).Select(i => scores[i + 1] - scores[0]).ToArray();
        var means = Enumerable.Range(0, width).Select(i => trainingRows.Average(r => (double)r[i])).ToArray();
        return new ExplanationModel(
            MlNetTrees.Extract(forest, trainingRows),
            MlNetTrees.Extract(boosted, trainingRows),
            new LinearExplanationModel(scores[0], weights, means));
    }
}

/// <summary>An explanation in the model's log-odds space: base value + Σ contributions = output value.</summary>
public sealed record Explanation(double BaseValue, double OutputValue, double[] Contributions);

/// <summary>
/// Exact Shapley values of the calibrated ensemble's log-odds for one feature vector: TreeSHAP for the two
/// tree models, the exact linear form w·(x − mean) for logistic regression, combined through the blend,
/// which is linear in the three raw scores.
/// </summary>
public static class EnsembleExplainer
{
    public static Explanation Explain(ModelArtifact artifact, ExplanationModel model, float[] features)
    {
        var stacker = artifact.Stacker;
        if (artifact.Blend != BlendMode.Fitted)
        {
            throw new NotSupportedException("the fixed blend averages probabilities; only the fitted blend has exact log-odds explanations");
        }

        var slope = stacker.Slopes();
        var contributions = new double[features.Length];
        var baseValue = stacker.Bias;
        var output = stacker.Bias;
        var trees = new[] { model.RandomForest, model.GradientBoosting };
        for (var m = 0; m < trees.Length; m++)
        {
            var ensemble = trees[m];
            var expected = ensemble.Bias + ensemble.Trees.Select((t, i) => ensemble.Weights[i] * t.ExpectedValue()).Sum();
            baseValue += slope[m] * (expected - stacker.Means[m]);
            output += slope[m] * (ensemble.Evaluate(features) - stacker.Means[m]);
            if (slope[m] != 0)
            {
                for (var t = 0; t < ensemble.Trees.Count; t++)
                {
                    TreeShap.Accumulate(ensemble.Trees[t], features, slope[m] * ensemble.Weights[t], contributions);
                }
            }
        }

        var linear = model.LogisticRegression;
        var linearScore = linear.Intercept + linear.Weights.Select((w, i) => w * features[i]).Sum();
        baseValue += slope[2] * (linear.ExpectedValue() - stacker.Means[2]);
        output += slope[2] * (linearScore - stacker.Means[2]);
        for (var i = 0; i < features.Length; i++)
        {
            contributions[i] += slope[2] * linear.Weights[i] * (features[i] - linear.Means[i]);
        }

        return new Explanation(baseValue, output, contributions);
    }
}
