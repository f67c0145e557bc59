using LeadScoring.Grains.Training;

namespace LeadScoring.Grains.Scoring;

/// <summary>
/// A trained model ready to score one lead at a time without ML.NET: the encoder, both tree ensembles and the
/// linear model evaluated directly from the artifact's explanation model, then the blend. Immutable, so one
/// instance serves every thread; it reproduces the ML.NET models' raw scores to float precision.
/// </summary>
public sealed class ScoringModel
{
    public ScoringModel(ModelArtifact artifact)
    {
        Artifact = artifact;
        Explanations = artifact.Explanations
            ?? throw new ArgumentException("the artifact was trained before explanations were captured; retrain it", nameof(artifact));
        Encoder = new FeatureEncoder(artifact.Encoding);
    }

    public ModelArtifact Artifact { get; }

    public ExplanationModel Explanations { get; }

    public FeatureEncoder Encoder { get; }

    /// <summary>Raw scores of random forest, boosted trees and logistic regression.</summary>
    public double[] RawScores(ReadOnlySpan<float> features)
    {
        var linear = Explanations.LogisticRegression;
        var linearScore = linear.Intercept;
        for (var i = 0; i < features.Length; i++)
        {
            linearScore += linear.Weights[i] * features[i];
        }

        return [Explanations.RandomForest.Evaluate(features), Explanations.GradientBoosting.Evaluate(features), linearScore];
    }

    /// <summary>The calibrated conversion probability.</summary>
    public double Probability(ReadOnlySpan<float> features) => ModelPredictor.Blend(Artifact, RawScores(features));

    public Explanation Explain(float[] features) => EnsembleExplainer.Explain(Artifact, Explanations, features);
}
