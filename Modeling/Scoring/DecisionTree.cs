namespace LeadScoring.Modeling.Scoring;

/// <summary>
/// One regression tree in arrays. Internal node n splits on <see cref="Feature"/>[n]: a value at most
/// <see cref="Threshold"/>[n] goes to <see cref="Left"/>[n], else to <see cref="Right"/>[n]. A child index
/// c &lt; 0 is the leaf ~c. Covers count the training rows that reached each node and leaf; the explanations
/// weigh the unknown branches by them.
/// </summary>
public sealed record DecisionTree(
    int[] Left,
    int[] Right,
    int[] Feature,
    float[] Threshold,
    double[] LeafValue,
    double[] NodeCover,
    double[] LeafCover)
{
    private int? _depth;

    public bool IsLeafOnly => Left.Length == 0;

    /// <summary>The most splits on any path from the root to a leaf.</summary>
    public int Depth => _depth ??= IsLeafOnly ? 0 : DepthBelow(0);

    public double Evaluate(ReadOnlySpan<float> features) => LeafValue[LeafOf(features)];

    public int LeafOf(ReadOnlySpan<float> features)
    {
        if (IsLeafOnly)
        {
            return 0;
        }

        var node = 0;
        while (true)
        {
            var next = features[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
            if (next < 0)
            {
                return ~next;
            }

            node = next;
        }
    }

    private int DepthBelow(int node) => node < 0 ? 0 : 1 + Math.Max(DepthBelow(Left[node]), DepthBelow(Right[node]));

    /// <summary>The tree's mean output over the training rows (the expectation its explanations start from).</summary>
    public double ExpectedValue()
    {
        var total = LeafCover.Sum();
        return total == 0 ? 0 : LeafValue.Select((v, i) => v * LeafCover[i]).Sum() / total;
    }

    /// <summary>The same tree with node and leaf covers counted from <paramref name="rows"/>.</summary>
    public DecisionTree WithCovers(IEnumerable<float[]> rows)
    {
        var nodeCover = new double[Left.Length];
        var leafCover = new double[LeafValue.Length];
        foreach (var row in rows)
        {
            if (IsLeafOnly)
            {
                leafCover[0]++;
                continue;
            }

            var node = 0;
            while (true)
            {
                nodeCover[node]++;
                var next = row[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
                if (next < 0)
                {
                    leafCover[~next]++;
                    break;
                }

                node = next;
            }
        }

        return this with { NodeCover = nodeCover, LeafCover = leafCover };
    }
}

/// <summary>A weighted sum of trees plus a bias: the raw score of a boosted or random forest model.</summary>
public sealed record TreeEnsemble(IReadOnlyList<DecisionTree> Trees, double[] Weights, double Bias)
{
    public double Evaluate(ReadOnlySpan<float> features)
    {
        var score = Bias;
        for (var t = 0; t < Trees.Count; t++)
        {
            score += Weights[t] * Trees[t].Evaluate(features);
        }

        return score;
    }
}
