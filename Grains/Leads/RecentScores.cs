using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Scoring;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// What an active lead keeps in memory of its score history: the newest <see cref="LeadInsights.TrendWindow"/>
/// entries (all the trend needs) and how many the store holds, up to <see cref="LeadLimits.ScoreHistory"/>
/// (so it knows when the oldest must go). The whole history stays in the store and is read from there.
/// </summary>
public sealed class RecentScores
{
    // An array of exactly the entries held (a list would keep spare room in every active lead).
    private ScoreHistoryEntry[] _newestFirst;
    private int _stored;

    /// <param name="stored">The stored history, newest first.</param>
    public RecentScores(IReadOnlyList<ScoreHistoryEntry> stored)
    {
        _newestFirst = [.. stored.Take(LeadInsights.TrendWindow)];
        _stored = Math.Min(stored.Count, LeadLimits.ScoreHistory);
    }

    public IReadOnlyList<ScoreHistoryEntry> NewestFirst => _newestFirst;

    public ScoreHistoryEntry? Latest => _newestFirst.Length > 0 ? _newestFirst[0] : null;

    /// <summary>The store already holds <see cref="LeadLimits.ScoreHistory"/> entries: appending one drops the oldest.</summary>
    public bool IsFull => _stored >= LeadLimits.ScoreHistory;

    /// <summary>After the entry was stored.</summary>
    public void Add(ScoreHistoryEntry entry)
    {
        if (_newestFirst.Length < LeadInsights.TrendWindow)
        {
            Array.Resize(ref _newestFirst, _newestFirst.Length + 1);
        }

        Array.Copy(_newestFirst, 0, _newestFirst, 1, _newestFirst.Length - 1);
        _newestFirst[0] = entry;

        _stored = Math.Min(_stored + 1, LeadLimits.ScoreHistory);
    }
}
