using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Modeling.Tests.Scoring;

public class TreeShapTests
{
    private const int Features = 5;

    [Fact]
    public void Tree_shap_equals_brute_force_shapley_values_on_random_trees()
    {
        var random = new Random(17);
        var rows = Enumerable.Range(0, 400).Select(_ => RandomRow(random)).ToArray();
        for (var t = 0; t < 20; t++)
        {
            // Trained trees only have branches that training rows reached; draw until this one does too.
            DecisionTree tree;
            do
            {
                tree = RandomTree(random, depth: 1 + t % 4).WithCovers(rows);
            }
            while (tree.NodeCover.Any(c => c == 0) || tree.LeafCover.Any(c => c == 0));

            foreach (var x in rows.Take(15))
            {
                var fast = new double[Features];
                TreeShap.Accumulate(tree, x, 1, fast);
                var exact = BruteForce(tree, x);

                for (var i = 0; i < Features; i++)
                {
                    Assert.Equal(exact[i], fast[i], 9);
                }

                Assert.Equal(tree.Evaluate(x), tree.ExpectedValue() + fast.Sum(), 9);
            }
        }
    }

    [Fact]
    public void A_feature_the_tree_never_splits_on_gets_nothing()
    {
        // x0 <= 0.5 ? (x1 <= 0.5 ? 1 : 2) : 3
        var tree = new DecisionTree(Left: [1, ~0], Right: [~2, ~1], Feature: [0, 1], Threshold: [0.5f, 0.5f], LeafValue: [1, 2, 3], [], [])
            .WithCovers([[0, 0, 9, 9, 9], [0, 1, 9, 9, 9], [1, 0, 9, 9, 9], [1, 1, 9, 9, 9]]);
        var phi = new double[Features];

        TreeShap.Accumulate(tree, [0f, 1f, 0f, 0f, 0f], 1, phi);

        // E = (1 + 2 + 3 + 3) / 4 = 2.25; f(x) = 2. Brute force: φ0 = -0.625, φ1 = 0.375.
        Assert.Equal(-0.625, phi[0], 12);
        Assert.Equal(0.375, phi[1], 12);
        Assert.Equal(0, phi[2]);
        Assert.Equal(2, tree.ExpectedValue() + phi.Sum(), 12);
    }

    /// <summary>Shapley values by enumerating every coalition, with the cover-weighted expectation for absent features.</summary>
    private static double[] BruteForce(DecisionTree tree, float[] x)
    {
        var phi = new double[Features];
        var factorial = new double[Features + 1];
        factorial[0] = 1;
        for (var k = 1; k <= Features; k++)
        {
            factorial[k] = factorial[k - 1] * k;
        }

        for (var i = 0; i < Features; i++)
        {
            for (var mask = 0; mask < 1 << Features; mask++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    continue;
                }

                var size = System.Numerics.BitOperations.PopCount((uint)mask);
                var weight = factorial[size] * factorial[Features - size - 1] / factorial[Features];
                phi[i] += weight * (Expected(tree, x, mask | (1 << i), 0) - Expected(tree, x, mask, 0));
            }
        }

        return phi;
    }

    private static double Expected(DecisionTree tree, float[] x, int known, int node)
    {
        if (node < 0)
        {
            return tree.LeafValue[~node];
        }

        var feature = tree.Feature[node];
        if ((known & (1 << feature)) != 0)
        {
            return Expected(tree, x, known, x[feature] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node]);
        }

        double CoverOf(int child) => child < 0 ? tree.LeafCover[~child] : tree.NodeCover[child];
        var left = tree.Left[node];
        var right = tree.Right[node];
        return (CoverOf(left) * Expected(tree, x, known, left) + CoverOf(right) * Expected(tree, x, known, right)) / tree.NodeCover[node];
    }

    private static float[] RandomRow(Random random) => [.. Enumerable.Range(0, Features).Select(_ => (float)Math.Round(random.NextDouble(), 2))];

    /// <summary>A complete tree of the given depth with random splits (features may repeat along a path).</summary>
    private static DecisionTree RandomTree(Random random, int depth)
    {
        var internalNodes = (1 << depth) - 1;
        var left = new int[internalNodes];
        var right = new int[internalNodes];
        var feature = new int[internalNodes];
        var threshold = new float[internalNodes];
        var leaves = 0;
        for (var n = 0; n < internalNodes; n++)
        {
            feature[n] = random.Next(Features);
            threshold[n] = (float)Math.Round(0.2 + random.NextDouble() * 0.6, 2);
            var childLeft = 2 * n + 1;
            var childRight = 2 * n + 2;
            left[n] = childLeft < internalNodes ? childLeft : ~leaves++;
            right[n] = childRight < internalNodes ? childRight : ~leaves++;
        }

        var values = Enumerable.Range(0, leaves).Select(_ => Math.Round(random.NextDouble() * 4 - 2, 3)).ToArray();
        return new DecisionTree(left, right, feature, threshold, values, [], []);
    }
}
