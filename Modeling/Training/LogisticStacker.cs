namespace LeadScoring.Modeling.Training;

/// <summary>
/// A small L2-regularized logistic regression fitted by Newton's method. It blends the base models' raw
/// scores into one log-odds (the weights are fitted on out-of-fold predictions), which doubles as Platt
/// calibration: its output is the calibrated probability.
/// </summary>
public sealed record LogisticStacker(double[] Weights, double Bias, double[] Means, double[] Scales)
{
    public double LogOdds(ReadOnlySpan<double> inputs)
    {
        var z = Bias;
        for (var i = 0; i < Weights.Length; i++)
        {
            z += Weights[i] * (inputs[i] - Means[i]) / Scales[i];
        }

        return z;
    }

    public double Probability(ReadOnlySpan<double> inputs) => Sigmoid(LogOdds(inputs));

    /// <summary>d(log-odds) / d(input) of each input: the blend is linear in the base models' raw scores.</summary>
    public double[] Slopes() => [.. Weights.Select((w, i) => w / Scales[i])];

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <param name="inputs">One row per example, one column per base model.</param>
    public static LogisticStacker Fit(IReadOnlyList<double[]> inputs, IReadOnlyList<bool> labels, double l2 = 1e-3, int iterations = 50)
    {
        var dimensions = inputs[0].Length;
        var means = new double[dimensions];
        var scales = new double[dimensions];
        for (var j = 0; j < dimensions; j++)
        {
            means[j] = inputs.Average(x => x[j]);
            var variance = inputs.Average(x => (x[j] - means[j]) * (x[j] - means[j]));
            scales[j] = variance > 1e-12 ? Math.Sqrt(variance) : 1;
        }

        // Parameters: the weights, then the bias (last).
        var size = dimensions + 1;
        var beta = new double[size];
        var row = new double[size];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var gradient = new double[size];
            var hessian = new double[size, size];
            for (var i = 0; i < inputs.Count; i++)
            {
                for (var j = 0; j < dimensions; j++)
                {
                    row[j] = (inputs[i][j] - means[j]) / scales[j];
                }

                row[dimensions] = 1;
                var z = 0.0;
                for (var j = 0; j < size; j++)
                {
                    z += beta[j] * row[j];
                }

                var p = Sigmoid(z);
                var residual = (labels[i] ? 1 : 0) - p;
                var curvature = Math.Max(p * (1 - p), 1e-9);
                for (var j = 0; j < size; j++)
                {
                    gradient[j] += residual * row[j];
                    for (var k = 0; k < size; k++)
                    {
                        hessian[j, k] += curvature * row[j] * row[k];
                    }
                }
            }

            for (var j = 0; j < dimensions; j++)
            {
                gradient[j] -= l2 * inputs.Count * beta[j];
                hessian[j, j] += l2 * inputs.Count;
            }

            var step = Solve(hessian, gradient);
            var change = 0.0;
            for (var j = 0; j < size; j++)
            {
                beta[j] += step[j];
                change = Math.Max(change, Math.Abs(step[j]));
            }

            if (change < 1e-8)
            {
                break;
            }
        }

        return new LogisticStacker(beta[..dimensions], beta[dimensions], means, scales);
    }

    /// <summary>
    /// Blend weights on the simplex (step 1/<paramref name="steps"/>) that maximize the AUC of the weighted sum of
    /// standardized scores, then Platt calibration of that sum; folded into one stacker so the output stays a
    /// linear function of the raw scores.
    /// </summary>
    public static LogisticStacker FitRankBlend(IReadOnlyList<double[]> inputs, IReadOnlyList<bool> labels, int steps = 20)
    {
        var dimensions = inputs[0].Length;
        var standard = Fit(inputs, labels); // only for its means and scales
        var z = inputs.Select(x => Enumerable.Range(0, dimensions).Select(j => (x[j] - standard.Means[j]) / standard.Scales[j]).ToArray()).ToArray();
        var best = (Auc: -1.0, Weights: new double[dimensions]);
        foreach (var weights in Simplex(dimensions, steps))
        {
            var blended = z.Select(row => row.Select((v, j) => v * weights[j]).Sum()).ToArray();
            var auc = ClassificationMetrics.AreaUnderCurve(blended, labels);
            if (auc > best.Auc + 1e-9)
            {
                best = (auc, weights);
            }
        }

        var sums = z.Select(row => new[] { row.Select((v, j) => v * best.Weights[j]).Sum() }).ToArray();
        var platt = Fit(sums, labels);
        var slope = platt.Weights[0] / platt.Scales[0];
        return new LogisticStacker(
            [.. best.Weights.Select(w => slope * w)],
            platt.Bias - slope * platt.Means[0],
            standard.Means,
            standard.Scales);
    }

    /// <summary>A stacker over all inputs that uses only <paramref name="index"/>, through its one-input calibration.</summary>
    public static LogisticStacker OnlyInput(int index, int dimensions, LogisticStacker calibration)
    {
        var weights = new double[dimensions];
        var means = new double[dimensions];
        var scales = Enumerable.Repeat(1.0, dimensions).ToArray();
        weights[index] = calibration.Weights[0];
        means[index] = calibration.Means[0];
        scales[index] = calibration.Scales[0];
        return new LogisticStacker(weights, calibration.Bias, means, scales);
    }

    private static IEnumerable<double[]> Simplex(int dimensions, int steps)
    {
        if (dimensions == 1)
        {
            yield return [1.0];
            yield break;
        }

        for (var first = 0; first <= steps; first++)
        {
            foreach (var rest in Simplex(dimensions - 1, steps - first))
            {
                var scale = steps - first == 0 ? 0 : (steps - first) / (double)steps;
                yield return [first / (double)steps, .. rest.Select(r => r * scale)];
            }
        }
    }

    /// <summary>Gaussian elimination with partial pivoting for the small Newton system.</summary>
    private static double[] Solve(double[,] matrix, double[] vector)
    {
        var n = vector.Length;
        var a = (double[,])matrix.Clone();
        var b = (double[])vector.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }

            for (var k = 0; k < n; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            }

            (b[col], b[pivot]) = (b[pivot], b[col]);
            if (Math.Abs(a[col, col]) < 1e-12)
            {
                continue;
            }

            for (var r = col + 1; r < n; r++)
            {
                var factor = a[r, col] / a[col, col];
                for (var k = col; k < n; k++)
                {
                    a[r, k] -= factor * a[col, k];
                }

                b[r] -= factor * b[col];
            }
        }

        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var sum = b[r];
            for (var k = r + 1; k < n; k++)
            {
                sum -= a[r, k] * x[k];
            }

            x[r] = Math.Abs(a[r, r]) < 1e-12 ? 0 : sum / a[r, r];
        }

        return x;
    }
}
