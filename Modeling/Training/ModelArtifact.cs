using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Training;

/// <summary>A feature's distribution in the training data: the reference drift detection compares against.</summary>
/// <param name="BinEdges">Numeric columns: the inner decile edges; a value v falls in the first bin whose edge exceeds it.</param>
/// <param name="BinShares">Numeric columns: the share of training rows in each of the (edges + 1) bins.</param>
/// <param name="Categories">Categorical and boolean columns: each value's share (missing as "__missing__").</param>
public sealed record ReferenceDistribution(
    string Column,
    ColumnKind Kind,
    double[]? BinEdges,
    double[]? BinShares,
    Dictionary<string, double>? Categories);

/// <summary>A feature of the model's schema: its type, where live leads get it from and its dimension.</summary>
public sealed record SchemaFeature(string Name, ColumnKind Type, FeatureSource Source, FeatureDimension Dimension);

/// <summary>
/// Everything needed to score with a trained model, serializable as one document: the encoder, the three
/// ML.NET models, the blend and the decision threshold, plus what the registry keeps beside them.
/// </summary>
public sealed record ModelArtifact(
    IReadOnlyList<ColumnEncoding> Encoding,
    BlendMode Blend,
    LogisticStacker Stacker,
    IReadOnlyList<LogisticStacker> ModelCalibrators,
    byte[] RandomForest,
    byte[] GradientBoosting,
    byte[] LogisticRegression,
    byte[]? DealSize,
    byte[]? TimeToClose,
    double Threshold,
    IReadOnlyList<SchemaFeature> Schema,
    IReadOnlyList<ReferenceDistribution> References,
    double[] ScoreHistogram,
    Scoring.ExplanationModel? Explanations = null)
{
    /// <summary>The fixed blend's weights of random forest, boosted trees and logistic regression.</summary>
    public static readonly double[] FixedWeights = [0.4, 0.4, 0.2];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static ModelArtifact Deserialize(byte[] bytes) =>
        JsonSerializer.Deserialize<ModelArtifact>(bytes, Json) ?? throw new FormatException("empty model artifact");
}

/// <summary>Scores feature vectors with a <see cref="ModelArtifact"/>'s models.</summary>
public sealed class ModelPredictor
{
    private readonly BaseModels _models;
    private readonly Microsoft.ML.ITransformer[] _classifiers;

    public ModelPredictor(ModelArtifact artifact, int seed = 42)
    {
        Artifact = artifact;
        Encoder = new FeatureEncoder(artifact.Encoding);
        _models = new BaseModels(seed);
        _classifiers = [_models.Load(artifact.RandomForest), _models.Load(artifact.GradientBoosting), _models.Load(artifact.LogisticRegression)];
    }

    public ModelArtifact Artifact { get; }

    public FeatureEncoder Encoder { get; }

    /// <summary>Raw scores of the three base models: [row][random forest, boosted trees, logistic regression].</summary>
    public double[][] BaseScores(float[][] features)
    {
        var columns = _classifiers.Select(c => _models.Score(c, features, Encoder.Width)).ToArray();
        return [.. Enumerable.Range(0, features.Length).Select(i => new[] { columns[0][i], columns[1][i], columns[2][i] })];
    }

    public double[] Probabilities(float[][] features) =>
        [.. BaseScores(features).Select(scores => Blend(Artifact, scores))];

    /// <summary>The calibrated conversion probability from the base models' raw scores.</summary>
    public static double Blend(ModelArtifact artifact, ReadOnlySpan<double> scores)
    {
        if (artifact.Blend == BlendMode.Fitted)
        {
            return artifact.Stacker.Probability(scores);
        }

        var probability = 0.0;
        for (var m = 0; m < scores.Length; m++)
        {
            probability += ModelArtifact.FixedWeights[m] * artifact.ModelCalibrators[m].Probability([scores[m]]);
        }

        return probability;
    }
}
