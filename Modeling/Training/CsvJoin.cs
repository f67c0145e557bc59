namespace LeadScoring.Modeling.Training;

/// <summary>Left joins of CSV exports on a shared key column (an opportunity's account, product, sales agent).</summary>
public static class CsvJoin
{
    /// <summary>
    /// Adds <paramref name="other"/>'s columns to every row of <paramref name="table"/> whose <paramref name="key"/>
    /// matches; rows without a match get empty cells. A column name already taken is prefixed with the
    /// <paramref name="prefix"/>.
    /// </summary>
    public static CsvTable LeftJoin(CsvTable table, CsvTable other, string key, string prefix)
    {
        var left = table.IndexOf(key);
        var right = other.IndexOf(key);
        if (left < 0 || right < 0)
        {
            throw new TrainingInputException($"cannot join on '{key}': both files need that column");
        }

        var added = Enumerable.Range(0, other.Columns.Count).Where(i => i != right).ToArray();
        var names = added.Select(i => table.Columns.Contains(other.Columns[i]) ? $"{prefix}.{other.Columns[i]}" : other.Columns[i]).ToList();
        var lookup = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var row in other.Rows)
        {
            lookup.TryAdd(row[right].Trim(), row);
        }

        var rows = table.Rows.Select(row =>
        {
            var match = lookup.GetValueOrDefault(row[left].Trim());
            return row.Concat(added.Select(i => match?[i] ?? "")).ToArray();
        }).ToList();
        return new CsvTable([.. table.Columns, .. names], rows, table.Delimiter);
    }
}
