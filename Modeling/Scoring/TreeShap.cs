namespace LeadScoring.Modeling.Scoring;

/// <summary>
/// Exact Shapley values of tree models (Lundberg, Erion and Lee, "Consistent individualized feature
/// attribution for tree ensembles", 2018, Algorithm 2: path-dependent TreeSHAP). A feature left out of a
/// coalition follows both branches, weighted by the training covers; the values add up exactly:
/// expected value + Σ contributions = the model's output for the row. Every node and leaf needs a positive
/// cover, as trees trained on the rows that give the covers have.
/// </summary>
public static class TreeShap
{
    /// <summary>Adds <paramref name="scale"/> × each feature's Shapley value for <paramref name="tree"/> into <paramref name="contributions"/>.</summary>
    public static void Accumulate(DecisionTree tree, ReadOnlySpan<float> features, double scale, Span<double> contributions)
    {
        if (tree.IsLeafOnly)
        {
            return;
        }

        // Each level of the recursion keeps its own copy of the path in one shared buffer, right after its
        // parent's: a path holds at most depth + 1 elements, so (depth + 2)(depth + 3) / 2 elements suffice.
        var depth = tree.Depth;
        var size = (depth + 2) * (depth + 3) / 2;
        Span<PathElement> buffer = size > 256 ? new PathElement[size] : stackalloc PathElement[size];
        Recurse(tree, features, scale, contributions, node: 0, buffer, parentLength: 0, zeroFraction: 1, oneFraction: 1, feature: -1);
    }

    private struct PathElement
    {
        public int Feature;
        public double ZeroFraction;
        public double OneFraction;
        public double Weight;
    }

    /// <param name="buffer">The parent's path at its start; this level writes its own right after it.</param>
    private static void Recurse(DecisionTree tree, ReadOnlySpan<float> x, double scale, Span<double> phi, int node, Span<PathElement> buffer,
        int parentLength, double zeroFraction, double oneFraction, int feature)
    {
        var path = buffer[parentLength..];
        buffer[..parentLength].CopyTo(path);
        Extend(path, parentLength, zeroFraction, oneFraction, feature);
        var length = parentLength + 1;

        if (node < 0)
        {
            var leafValue = scale * tree.LeafValue[~node];
            for (var i = 1; i < length; i++)
            {
                var weight = UnwoundSum(path, length, i);
                phi[path[i].Feature] += weight * (path[i].OneFraction - path[i].ZeroFraction) * leafValue;
            }

            return;
        }

        var split = tree.Feature[node];
        var goesLeft = x[split] <= tree.Threshold[node];
        var hot = goesLeft ? tree.Left[node] : tree.Right[node];
        var cold = goesLeft ? tree.Right[node] : tree.Left[node];
        double incomingZero = 1, incomingOne = 1;
        for (var k = 1; k < length; k++)
        {
            if (path[k].Feature == split)
            {
                incomingZero = path[k].ZeroFraction;
                incomingOne = path[k].OneFraction;
                Unwind(path, length, k);
                length--;
                break;
            }
        }

        var cover = tree.NodeCover[node];
        Recurse(tree, x, scale, phi, hot, path, length, incomingZero * Cover(tree, hot) / cover, incomingOne, split);
        Recurse(tree, x, scale, phi, cold, path, length, incomingZero * Cover(tree, cold) / cover, 0, split);
    }

    private static double Cover(DecisionTree tree, int child) => child < 0 ? tree.LeafCover[~child] : tree.NodeCover[child];

    private static void Extend(Span<PathElement> path, int length, double zeroFraction, double oneFraction, int feature)
    {
        path[length] = new PathElement
        {
            Feature = feature,
            ZeroFraction = zeroFraction,
            OneFraction = oneFraction,
            Weight = length == 0 ? 1 : 0,
        };
        for (var i = length - 1; i >= 0; i--)
        {
            path[i + 1].Weight += oneFraction * path[i].Weight * (i + 1) / (length + 1);
            path[i].Weight = zeroFraction * path[i].Weight * (length - i) / (length + 1);
        }
    }

    private static void Unwind(Span<PathElement> path, int length, int index)
    {
        var last = length - 1;
        var oneFraction = path[index].OneFraction;
        var zeroFraction = path[index].ZeroFraction;
        var next = path[last].Weight;
        for (var j = last - 1; j >= 0; j--)
        {
            if (oneFraction != 0)
            {
                var previous = path[j].Weight;
                path[j].Weight = next * (last + 1) / ((j + 1) * oneFraction);
                next = previous - path[j].Weight * zeroFraction * (last - j) / (last + 1);
            }
            else
            {
                path[j].Weight = path[j].Weight * (last + 1) / (zeroFraction * (last - j));
            }
        }

        for (var j = index; j < last; j++)
        {
            path[j].Feature = path[j + 1].Feature;
            path[j].ZeroFraction = path[j + 1].ZeroFraction;
            path[j].OneFraction = path[j + 1].OneFraction;
        }
    }

    /// <summary>The sum of the path's weights with element <paramref name="index"/> unwound, without changing the path.</summary>
    private static double UnwoundSum(ReadOnlySpan<PathElement> path, int length, int index)
    {
        var last = length - 1;
        var oneFraction = path[index].OneFraction;
        var zeroFraction = path[index].ZeroFraction;
        var next = path[last].Weight;
        var total = 0.0;
        for (var j = last - 1; j >= 0; j--)
        {
            if (oneFraction != 0)
            {
                var weight = next * (last + 1) / ((j + 1) * oneFraction);
                total += weight;
                next = path[j].Weight - weight * zeroFraction * (last - j) / (last + 1);
            }
            else
            {
                total += path[j].Weight * (last + 1) / (zeroFraction * (last - j));
            }
        }

        return total;
    }
}
