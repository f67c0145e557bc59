using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Scoring;

/// <summary>The three base models' raw scores for one lead and the blended, calibrated probability.</summary>
public readonly record struct EnsembleOutput(double RandomForest, double GradientBoosting, double LogisticRegression, double Probability);

/// <summary>
/// A trained model ready to score one lead at a time without ML.NET: the encoder, both tree ensembles
/// (flattened) and the linear model evaluated directly from the artifact's explanation model, then the blend.
/// Immutable, so one instance serves every thread; it reproduces the ML.NET models' raw scores to float precision.
/// </summary>
public sealed class ScoringModel
{
    private readonly CompiledTrees _forest;
    private readonly CompiledTrees _boosted;
    private readonly LinearExplanationModel _linear;
    private readonly double[] _slopes;

    public ScoringModel(ModelArtifact artifact)
    {
        Artifact = artifact;
        Explanations = artifact.Explanations
            ?? throw new ArgumentException("the artifact was trained before explanations were captured; retrain it", nameof(artifact));
        Encoder = new FeatureEncoder(artifact.Encoding);
        _forest = new CompiledTrees(Explanations.RandomForest);
        _boosted = new CompiledTrees(Explanations.GradientBoosting);
        _linear = Explanations.LogisticRegression;
        _slopes = artifact.Stacker.Slopes();
    }

    public ModelArtifact Artifact { get; }

    public ExplanationModel Explanations { get; }

    public FeatureEncoder Encoder { get; }

    public EnsembleOutput Score(ReadOnlySpan<float> features)
    {
        var forest = _forest.Evaluate(features);
        var boosted = _boosted.Evaluate(features);
        var linear = LinearScore(features);
        return new EnsembleOutput(forest, boosted, linear, Blend(forest, boosted, linear));
    }

    /// <summary>
    /// <see cref="Score"/> plus each encoded feature's share of the calibrated log-odds by path attribution
    /// (exact for the linear model): log-odds = <see cref="AttributionBase"/> + Σ <paramref name="attributions"/>
    /// for the fitted blend. Costs about one more evaluation; <see cref="Explain"/> gives exact Shapley values.
    /// </summary>
    public EnsembleOutput ScoreWithAttribution(ReadOnlySpan<float> features, Span<double> attributions)
    {
        var slope = _slopes;
        var forest = _forest.EvaluateWithAttribution(features, slope[0], attributions);
        var boosted = _boosted.EvaluateWithAttribution(features, slope[1], attributions);
        var linear = LinearScore(features);
        for (var i = 0; i < features.Length; i++)
        {
            attributions[i] += slope[2] * _linear.Weights[i] * (features[i] - _linear.Means[i]);
        }

        return new EnsembleOutput(forest, boosted, linear, Blend(forest, boosted, linear));
    }

    /// <summary>The calibrated log-odds of a lead at the training means: where the attributions start from.</summary>
    public double AttributionBase
    {
        get
        {
            var stacker = Artifact.Stacker;
            var slope = _slopes;
            return stacker.Bias
                + slope[0] * (_forest.ExpectedValue - stacker.Means[0])
                + slope[1] * (_boosted.ExpectedValue - stacker.Means[1])
                + slope[2] * (_linear.ExpectedValue() - stacker.Means[2]);
        }
    }

    /// <summary>Each base model's own calibrated probability: how far they agree says how sure the ensemble is.</summary>
    public (double RandomForest, double GradientBoosting, double LogisticRegression) ModelProbabilities(EnsembleOutput output)
    {
        var calibrators = Artifact.ModelCalibrators;
        return (calibrators[0].Probability([output.RandomForest]), calibrators[1].Probability([output.GradientBoosting]),
            calibrators[2].Probability([output.LogisticRegression]));
    }

    /// <summary>The calibrated conversion probability.</summary>
    public double Probability(ReadOnlySpan<float> features) => Score(features).Probability;

    public Explanation Explain(float[] features) => EnsembleExplainer.Explain(Artifact, Explanations, features);

    private double LinearScore(ReadOnlySpan<float> features)
    {
        var score = _linear.Intercept;
        var weights = _linear.Weights;
        for (var i = 0; i < features.Length; i++)
        {
            score += weights[i] * features[i];
        }

        return score;
    }

    private double Blend(double forest, double boosted, double linear) =>
        ModelPredictor.Blend(Artifact, [forest, boosted, linear]);
}
