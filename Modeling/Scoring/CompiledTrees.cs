namespace LeadScoring.Modeling.Scoring;

/// <summary>
/// A tree ensemble flattened for scoring: every tree's nodes in one set of arrays, child links as absolute
/// indexes (a negative link c is the leaf ~c), leaf values already multiplied by their tree's weight. Scoring
/// one lead walks one root-to-leaf path per tree without touching anything else, which is what keeps the
/// three-model ensemble close to the cost of the boosted trees alone.
/// </summary>
public sealed class CompiledTrees
{
    private readonly int[] _roots;
    private readonly Node[] _nodes;
    private readonly double[] _leafValue;

    // Path attribution: how far going left or right at each node moves the expected output (the weighted mean
    // output of the training rows under the child minus under the node), next to the node so a walk reads one place.
    private readonly Moves[] _moves;
    private readonly double[] _rootMean;

    public CompiledTrees(TreeEnsemble ensemble)
    {
        Bias = ensemble.Bias;
        var trees = ensemble.Trees;
        int nodes = trees.Sum(t => t.Left.Length), leaves = trees.Sum(t => t.LeafValue.Length);
        _roots = new int[trees.Count];
        _nodes = new Node[nodes];
        _moves = new Moves[nodes];
        _leafValue = new double[leaves];
        _rootMean = new double[trees.Count];
        int nodeOffset = 0, leafOffset = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var weight = ensemble.Weights[t];
            int Link(int child) => child < 0 ? ~(~child + leafOffset) : child + nodeOffset;
            _roots[t] = tree.IsLeafOnly ? ~leafOffset : nodeOffset;
            for (var n = 0; n < tree.Left.Length; n++)
            {
                _nodes[nodeOffset + n] = new Node(tree.Feature[n], tree.Threshold[n], Link(tree.Left[n]), Link(tree.Right[n]));
            }

            for (var l = 0; l < tree.LeafValue.Length; l++)
            {
                _leafValue[leafOffset + l] = weight * tree.LeafValue[l];
            }

            var means = SubtreeMeans(tree);
            double MeanOf(int child) => weight * (child < 0 ? tree.LeafValue[~child] : means[child]);
            for (var n = 0; n < means.Length; n++)
            {
                var mean = weight * means[n];
                _moves[nodeOffset + n] = new Moves(MeanOf(tree.Left[n]) - mean, MeanOf(tree.Right[n]) - mean);
            }

            _rootMean[t] = tree.IsLeafOnly ? weight * tree.LeafValue[0] : weight * means[0];
            nodeOffset += tree.Left.Length;
            leafOffset += tree.LeafValue.Length;
        }

        ExpectedValue = Bias + _rootMean.Sum();
    }

    public double Bias { get; }

    /// <summary>The mean raw score over the training rows.</summary>
    public double ExpectedValue { get; }

    /// <summary>The raw score: bias + Σ weight × leaf value.</summary>
    public double Evaluate(ReadOnlySpan<float> features)
    {
        var nodes = _nodes;
        var score = Bias;
        foreach (var root in _roots)
        {
            var node = root;
            while (node >= 0)
            {
                ref readonly var split = ref nodes[node];
                // NaN goes right, as in ML.NET.
                node = features[split.Feature] <= split.Threshold ? split.Left : split.Right;
            }

            score += _leafValue[~node];
        }

        return score;
    }

    /// <summary>
    /// The raw score, and each split along the lead's paths credited to its feature with how much it moved the
    /// expected output (Saabas path attribution), times <paramref name="scale"/>. Like Shapley values these add up:
    /// <see cref="ExpectedValue"/> + Σ attributions = raw score, at the cost of one evaluation. They are not Shapley
    /// values (they favour features split on near the leaves); exact explanations use <see cref="TreeShap"/>.
    /// </summary>
    public double EvaluateWithAttribution(ReadOnlySpan<float> features, double scale, Span<double> attributions)
    {
        var score = Bias;
        foreach (var root in _roots)
        {
            var node = root;
            while (node >= 0)
            {
                ref readonly var split = ref _nodes[node];
                ref readonly var moves = ref _moves[node];
                if (features[split.Feature] <= split.Threshold)
                {
                    attributions[split.Feature] += scale * moves.Left;
                    node = split.Left;
                }
                else
                {
                    attributions[split.Feature] += scale * moves.Right;
                    node = split.Right;
                }
            }

            score += _leafValue[~node];
        }

        return score;
    }

    /// <summary>Each internal node's cover-weighted mean leaf value; uniform weights when the tree has no covers.</summary>
    private static double[] SubtreeMeans(DecisionTree tree)
    {
        var means = new double[tree.Left.Length];
        var covered = tree.LeafCover.Length == tree.LeafValue.Length && tree.LeafCover.Sum() > 0;
        (double Sum, double Weight) Visit(int node)
        {
            if (node < 0)
            {
                var weight = covered ? tree.LeafCover[~node] : 1;
                return (weight * tree.LeafValue[~node], weight);
            }

            var (leftSum, leftWeight) = Visit(tree.Left[node]);
            var (rightSum, rightWeight) = Visit(tree.Right[node]);
            var total = leftWeight + rightWeight;
            means[node] = total > 0 ? (leftSum + rightSum) / total : 0;
            return (leftSum + rightSum, total);
        }

        if (!tree.IsLeafOnly)
        {
            Visit(0);
        }

        return means;
    }

    private readonly record struct Node(int Feature, float Threshold, int Left, int Right);

    private readonly record struct Moves(double Left, double Right);
}
