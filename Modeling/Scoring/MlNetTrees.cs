using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace LeadScoring.Modeling.Scoring;

/// <summary>Reads the trees out of trained ML.NET FastTree, LightGBM and FastForest models (binary, and FastTree regression).</summary>
public static class MlNetTrees
{
    /// <summary>The model's trees (covers counted from <paramref name="trainingRows"/>) and how they sum to its raw score.</summary>
    public static TreeEnsemble Extract(ITransformer model, IReadOnlyList<float[]> trainingRows)
    {
        if (model is TransformerChain<ITransformer> chain)
        {
            model = chain.LastTransformer;
        }

        var parameters = model switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> boosted => (object)boosted.Model.SubModel,
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> lightGbm => lightGbm.Model.SubModel,
            ISingleFeaturePredictionTransformer<FastForestBinaryModelParameters> forest => forest.Model,
            ISingleFeaturePredictionTransformer<FastTreeRegressionModelParameters> regression => regression.Model,
            _ => throw new NotSupportedException($"no tree extraction for {model.GetType().Name}"),
        };

        return parameters switch
        {
            TreeEnsembleModelParametersBasedOnRegressionTree regression => Convert(regression.TrainedTreeEnsemble.Trees, regression.TrainedTreeEnsemble.TreeWeights, regression.TrainedTreeEnsemble.Bias, trainingRows),
            TreeEnsembleModelParametersBasedOnQuantileRegressionTree quantile => Convert(quantile.TrainedTreeEnsemble.Trees, quantile.TrainedTreeEnsemble.TreeWeights, quantile.TrainedTreeEnsemble.Bias, trainingRows),
            _ => throw new NotSupportedException($"no tree extraction for {parameters.GetType().Name}"),
        };
    }

    private static TreeEnsemble Convert<TTree>(IReadOnlyList<TTree> trees, IReadOnlyList<double> weights, double bias, IReadOnlyList<float[]> rows)
        where TTree : RegressionTreeBase
    {
        var converted = trees.Select(tree =>
        {
            if (tree.CategoricalSplitFlags.Any(flag => flag))
            {
                throw new NotSupportedException("categorical splits are not used by the trainer and cannot be explained");
            }

            return new DecisionTree(
                [.. tree.LeftChild], [.. tree.RightChild], [.. tree.NumericalSplitFeatureIndexes], [.. tree.NumericalSplitThresholds],
                [.. tree.LeafValues], [], []).WithCovers(rows);
        }).ToList();
        return new TreeEnsemble(converted, [.. weights], bias);
    }
}
