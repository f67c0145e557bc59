using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LeadScoring.Modeling.Statistics;
using Microsoft.ML;

namespace LeadScoring.Modeling.Training;

/// <summary>What the report and the artifact carry besides the models: assessment, fairness, references, histogram.</summary>
public sealed partial class EnsembleTrainer
{
    /// <summary>An honest sentence on what the model can do, for the report and the console.</summary>
    private static string Assess(ClassificationMetrics holdout, double baseRate) => holdout.Auc switch
    {
        < 0.6 => $"little signal: holdout AUC {holdout.Auc:0.000} is close to chance; the probabilities stay near the base rate {baseRate:0.000} and should be read as such",
        < 0.75 => $"weak signal: holdout AUC {holdout.Auc:0.000}; use the score to rank, not to decide alone",
        < 0.9 => $"useful signal: holdout AUC {holdout.Auc:0.000}",
        _ => $"strong signal: holdout AUC {holdout.Auc:0.000}",
    };

    private static FairnessReport Fairness(string column, IReadOnlyList<string> cells, double[] probabilities, bool[] labels, double threshold)
    {
        var groups = cells.Select((c, i) => (Group: MissingValues.IsMissing(c) ? "(missing)" : c.Trim(), i))
            .GroupBy(p => p.Group, p => p.i, StringComparer.Ordinal)
            .Select(g =>
            {
                var members = g.ToArray();
                var positives = members.Where(i => labels[i]).ToArray();
                var negatives = members.Where(i => !labels[i]).ToArray();
                return new FairnessGroup(
                    g.Key,
                    members.Length,
                    members.Count(i => probabilities[i] >= threshold) / (double)members.Length,
                    positives.Length == 0 ? double.NaN : positives.Count(i => probabilities[i] >= threshold) / (double)positives.Length,
                    negatives.Length == 0 ? double.NaN : negatives.Count(i => probabilities[i] >= threshold) / (double)negatives.Length);
            })
            .OrderByDescending(g => g.Count)
            .ToList();
        var rates = groups.Select(g => g.PositiveRate).ToList();
        var recalls = groups.Where(g => !double.IsNaN(g.TruePositiveRate)).Select(g => g.TruePositiveRate).ToList();
        return new FairnessReport(
            column,
            [.. groups.Select(g => g with
            {
                TruePositiveRate = double.IsNaN(g.TruePositiveRate) ? 0 : g.TruePositiveRate,
                FalsePositiveRate = double.IsNaN(g.FalsePositiveRate) ? 0 : g.FalsePositiveRate,
            })],
            rates.Max() - rates.Min(),
            recalls.Count == 0 ? 0 : recalls.Max() - recalls.Min());
    }

    private static ReferenceDistribution Reference(ColumnSchema column, IReadOnlyList<string> cells)
    {
        if (column.Kind is ColumnKind.Categorical or ColumnKind.Boolean)
        {
            var shares = cells.GroupBy(c => MissingValues.IsMissing(c) ? ColumnEncoding.Missing : c.Trim(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Math.Round(g.Count() / (double)cells.Count, 6), StringComparer.Ordinal);
            return new ReferenceDistribution(column.Name, column.Kind, null, null, shares);
        }

        var encoding = ColumnEncoding.Fit(column, cells);
        var values = new double[cells.Count];
        Span<float> slots = stackalloc float[encoding.Width];
        for (var i = 0; i < cells.Count; i++)
        {
            encoding.Write(cells[i], slots);
            values[i] = slots[0];
        }

        Array.Sort(values);
        var edges = Enumerable.Range(1, 9).Select(d => values[Math.Min(values.Length - 1, d * values.Length / 10)]).Distinct().ToArray();
        var binShares = new double[edges.Length + 1];
        foreach (var value in values)
        {
            binShares[QuantileBins.BinOf(edges, value)] += 1.0 / values.Length;
        }

        return new ReferenceDistribution(column.Name, column.Kind, edges, [.. binShares.Select(s => Math.Round(s, 6))], null);
    }

    private static double[] Histogram(double[] probabilities)
    {
        var bins = new double[ClassificationMetrics.CalibrationBins];
        foreach (var p in probabilities)
        {
            bins[Math.Min(bins.Length - 1, (int)(p * bins.Length))] += 1.0 / probabilities.Length;
        }

        return [.. bins.Select(b => Math.Round(b, 6))];
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1));
    }
}
