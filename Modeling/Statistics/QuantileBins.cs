namespace LeadScoring.Modeling.Statistics;

/// <summary>
/// Bins of a numeric column between quantile edges, shared by training (the encoder's bins, the drift reference),
/// scoring and drift detection so that a value lands in the same bin everywhere.
/// </summary>
public static class QuantileBins
{
    /// <summary>
    /// The first bin whose upper edge exceeds <paramref name="value"/>, i.e. the number of edges at or below it
    /// (edges are distinct, ascending and exclusive upper bounds: a value equal to edge i is in bin i + 1).
    /// NaN is above every edge: the last bin.
    /// </summary>
    public static int BinOf(ReadOnlySpan<double> edges, double value)
    {
        if (double.IsNaN(value))
        {
            return edges.Length;
        }

        var index = edges.BinarySearch(value);
        return index >= 0 ? index + 1 : ~index;
    }
}
