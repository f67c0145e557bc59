using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace LeadScoring.Modeling.Training;

[JsonConverter(typeof(JsonStringEnumConverter<BaseModelKind>))]
public enum BaseModelKind
{
    RandomForest,
    GradientBoosting,
    LogisticRegression,
}

/// <summary>Which library grows the boosted trees: both give plain binary trees the scorer and TreeSHAP read alike.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BoostingLearner>))]
public enum BoostingLearner
{
    FastTree,
    LightGbm,
}

/// <summary>Settings of the boosted trees, chosen by the hyperparameter search.</summary>
/// <param name="Trees">The number of trees (with early stopping: the most the search may grow).</param>
public sealed record BoostingSettings(int Trees, int Leaves, double LearningRate, int MinimumLeafCount, BoostingLearner Learner = BoostingLearner.FastTree);

/// <summary>Training and raw scoring of the three ML.NET base models on in-memory feature vectors.</summary>
public sealed class BaseModels(int seed)
{
    private static readonly Lazy<bool> LightGbmLoads = new(() =>
        NativeLibrary.TryLoad("lib_lightgbm", typeof(LightGbmBinaryTrainer).Assembly, null, out _));

    private readonly MLContext _ml = new(seed);

    /// <summary>
    /// Whether LightGBM's native library loads here (it needs the OpenMP runtime, libgomp1 on Debian); without it
    /// the trainer searches FastTree settings only.
    /// </summary>
    public static bool LightGbmAvailable => LightGbmLoads.Value;

    public MLContext Context => _ml;

    public ITransformer Train(BaseModelKind kind, float[][] features, bool[] labels, float positiveWeight, BoostingSettings boosting, int width)
    {
        var data = ToDataView(features, labels, positiveWeight, width);
        IEstimator<ITransformer> estimator = kind switch
        {
            BaseModelKind.RandomForest => _ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
            {
                // 100 trees: past that the forest's AUC barely moves here, while every tree costs scoring time.
                NumberOfTrees = 100,
                NumberOfLeaves = 48,
                MinimumExampleCountPerLeaf = 5,
                FeatureFraction = 0.7,
                ExampleWeightColumnName = "Weight",
                NumberOfThreads = 2,
                Seed = seed,
            }),
            BaseModelKind.GradientBoosting when boosting.Learner == BoostingLearner.LightGbm => LightGbm(boosting, earlyStoppingRounds: 0),
            BaseModelKind.GradientBoosting => _ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = boosting.Trees,
                NumberOfLeaves = boosting.Leaves,
                LearningRate = boosting.LearningRate,
                MinimumExampleCountPerLeaf = boosting.MinimumLeafCount,
                FeatureFraction = 0.8,
                ExampleWeightColumnName = "Weight",
                NumberOfThreads = 2,
                Seed = seed,
            }),
            _ => _ml.Transforms.NormalizeMeanVariance("Features")
                .Append(_ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
                {
                    L2Regularization = 1f,
                    L1Regularization = 0f,
                    ExampleWeightColumnName = "Weight",
                    NumberOfThreads = 2,
                })),
        };
        return estimator.Fit(data);
    }

    /// <summary>
    /// Boosted trees for the search: LightGBM grows trees until <paramref name="validationFeatures"/>' loss has not
    /// improved for <paramref name="earlyStoppingRounds"/> rounds (at most <see cref="BoostingSettings.Trees"/>);
    /// FastTree grows its fixed number (its early-stopping rules are not a patience on the loss).
    /// </summary>
    /// <returns>The model and the number of trees it kept.</returns>
    public (ITransformer Model, int Trees) TrainBoosted(
        float[][] features, bool[] labels, float[][] validationFeatures, bool[] validationLabels, float positiveWeight, BoostingSettings boosting, int width, int earlyStoppingRounds)
    {
        if (boosting.Learner == BoostingLearner.FastTree)
        {
            return (Train(BaseModelKind.GradientBoosting, features, labels, positiveWeight, boosting, width), boosting.Trees);
        }

        var model = LightGbm(boosting, earlyStoppingRounds)
            .Fit(ToDataView(features, labels, positiveWeight, width), ToDataView(validationFeatures, validationLabels, positiveWeight, width));
        return (model, model.Model.SubModel.TrainedTreeEnsemble.Trees.Count);
    }

    /// <summary>LightGBM with the same row and column sampling as FastTree; <paramref name="earlyStoppingRounds"/> 0: none.</summary>
    private LightGbmBinaryTrainer LightGbm(BoostingSettings boosting, int earlyStoppingRounds) =>
        _ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = boosting.Trees,
            NumberOfLeaves = boosting.Leaves,
            LearningRate = boosting.LearningRate,
            MinimumExampleCountPerLeaf = boosting.MinimumLeafCount,
            ExampleWeightColumnName = "Weight",
            NumberOfThreads = 2,
            Seed = seed,
            EarlyStoppingRound = earlyStoppingRounds,
            Booster = new GradientBooster.Options { FeatureFraction = 0.8 },
            Silent = true,
        });

    /// <summary>The model's raw score (log-odds-like margin) for each row.</summary>
    public double[] Score(ITransformer model, float[][] features, int width)
    {
        var scored = model.Transform(ToDataView(features, new bool[features.Length], 1, width));
        return [.. scored.GetColumn<float>("Score").Select(s => (double)s)];
    }

    public ITransformer TrainRegression(float[][] features, float[] targets, int width)
    {
        var rows = features.Select((f, i) => new RegressionRow { Features = f, Label = targets[i] });
        var data = _ml.Data.LoadFromEnumerable(rows, Definition<RegressionRow>(width));
        return _ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = 200,
            NumberOfLeaves = 16,
            LearningRate = 0.05,
            MinimumExampleCountPerLeaf = 10,
            NumberOfThreads = 2,
            Seed = seed,
        }).Fit(data);
    }

    public double[] Predict(ITransformer regression, float[][] features, int width)
    {
        var rows = features.Select(f => new RegressionRow { Features = f });
        var scored = regression.Transform(_ml.Data.LoadFromEnumerable(rows, Definition<RegressionRow>(width)));
        return [.. scored.GetColumn<float>("Score").Select(s => (double)s)];
    }

    public byte[] Save(ITransformer model, int width)
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(model, ToDataView([], [], 1, width).Schema, stream);
        return stream.ToArray();
    }

    public ITransformer Load(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return _ml.Model.Load(stream, out _);
    }

    private IDataView ToDataView(float[][] features, bool[] labels, float positiveWeight, int width)
    {
        var rows = features.Select((f, i) => new ClassificationRow { Features = f, Label = labels[i], Weight = labels[i] ? positiveWeight : 1 });
        return _ml.Data.LoadFromEnumerable(rows, Definition<ClassificationRow>(width));
    }

    private static SchemaDefinition Definition<T>(int width)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return definition;
    }

    private sealed class ClassificationRow
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];

        public float Weight { get; set; }
    }

    private sealed class RegressionRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
