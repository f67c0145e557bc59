namespace LeadScoring.Modeling.Training;

/// <summary>Seeded, stratified splits: every part keeps the share of positives of the whole.</summary>
public static class DataSplits
{
    /// <returns>Positions (into <paramref name="labels"/>) of the kept part and the held-out part.</returns>
    public static (List<int> Train, List<int> Holdout) Stratified(IReadOnlyList<bool> labels, double holdoutFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var holdout = new List<int>();
        foreach (var label in new[] { true, false })
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == label).OrderBy(_ => random.Next()).ToList();
            var held = (int)Math.Round(members.Count * holdoutFraction);
            holdout.AddRange(members.Take(held));
            train.AddRange(members.Skip(held));
        }

        train.Sort();
        holdout.Sort();
        return (train, holdout);
    }

    /// <summary>The latest <paramref name="holdoutFraction"/> of rows by time are held out; rows without a time train.</summary>
    public static (List<int> Train, List<int> Holdout) ByTime(IReadOnlyList<DateTime?> times, double holdoutFraction)
    {
        var ordered = Enumerable.Range(0, times.Count).OrderBy(i => times[i] ?? DateTime.MinValue).ThenBy(i => i).ToList();
        var held = (int)Math.Round(times.Count * holdoutFraction);
        var holdout = ordered.Skip(times.Count - held).Order().ToList();
        var train = ordered.Take(times.Count - held).Order().ToList();
        return (train, holdout);
    }

    /// <summary>Assigns each position a fold 0..folds-1, positives and negatives dealt round-robin after a shuffle.</summary>
    public static int[] Folds(IReadOnlyList<bool> labels, int folds, int seed)
    {
        var random = new Random(seed);
        var fold = new int[labels.Count];
        foreach (var label in new[] { true, false })
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == label).OrderBy(_ => random.Next()).ToList();
            for (var k = 0; k < members.Count; k++)
            {
                fold[members[k]] = k % folds;
            }
        }

        return fold;
    }
}
