namespace LeadScoring.Grains.Leads;

/// <summary>
/// How many rows a lead holds in a table where it keeps its newest <see cref="Kept"/> and trims in bulk: rows
/// accumulate until an append brings them to <see cref="TrimAt"/>, and that append also deletes all but the newest
/// <see cref="Kept"/>. A lead counts its own rows (its grain is their only writer), so no write has to count them,
/// and a trim costs one delete per <c>TrimAt - Kept</c> appended rows instead of one per row.
/// </summary>
public readonly record struct StoredRows(int Count, int Kept, int TrimAt)
{
    /// <summary>After reading the newest rows, at most <paramref name="kept"/>: a full page may hide more, so the first append trims.</summary>
    public static StoredRows AfterRead(int read, int kept, int trimAt) => new(read < kept ? read : trimAt - 1, kept, trimAt);

    /// <summary>After counting them: a count past the trim (never reached by this lead's own writes) trims at the first append.</summary>
    public static StoredRows Counted(int count, int kept, int trimAt) => new(Math.Min(count, trimAt - 1), kept, trimAt);

    /// <summary>Appending <paramref name="appending"/> rows must delete all but the newest <see cref="Kept"/>.</summary>
    public bool TrimsWith(int appending) => appending > 0 && Count + appending >= TrimAt;

    /// <summary>The count once <paramref name="appending"/> rows are stored (and trimmed, if due).</summary>
    public StoredRows Append(int appending) => this with { Count = TrimsWith(appending) ? Kept : Count + appending };
}
