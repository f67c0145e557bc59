using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// What an active lead keeps in memory of its score history: the conversion probabilities of the newest
/// <see cref="LeadInsights.TrendWindow"/> entries (all the trend needs), what the newest entry says, and how
/// many entries the store holds (so it knows when the oldest must go, see <see cref="LeadLimits.StoredScoreHistory"/>). The entries themselves stay in the store and are read from there: kept whole they took four times the
/// memory in each active lead (docs/performance.md, "Memory per lead").
/// </summary>
public sealed class RecentScores
{
    // Exactly as many as held (a list would keep spare room in every active lead).
    private double[] _probabilitiesNewestFirst;
    private double _latestOverallScore;
    private string? _latestModelVersion;
    private string _latestGrade = "";
    private StoredRows _stored;

    /// <param name="stored">The stored history, newest first.</param>
    public RecentScores(IReadOnlyList<ScoreHistoryEntry> stored)
    {
        _probabilitiesNewestFirst = [.. stored.Take(LeadInsights.TrendWindow).Select(e => e.ConversionProbability)];
        _stored = StoredRows.AfterRead(stored.Count, LeadLimits.ScoreHistory, LeadLimits.StoredScoreHistory);
        if (stored.Count > 0)
        {
            (_latestOverallScore, _latestModelVersion, _latestGrade) = (stored[0].OverallScore, SharedValues.Text(stored[0].ModelVersion), SharedValues.Text(stored[0].Grade));
        }
    }

    /// <summary>Conversion probabilities of the newest entries, newest first.</summary>
    public IReadOnlyList<double> Probabilities => _probabilitiesNewestFirst;

    /// <summary>The newest entry's figures; null without history.</summary>
    public LatestScore? Latest => _latestModelVersion is { } version
        ? new LatestScore(version, _latestOverallScore, _probabilitiesNewestFirst[0], _latestGrade)
        : null;

    /// <summary>
    /// Appending one more entry brings the store to <see cref="LeadLimits.StoredScoreHistory"/>: the append must
    /// delete all but the newest <see cref="LeadLimits.ScoreHistory"/>.
    /// </summary>
    public bool TrimsOnNextAppend => _stored.TrimsWith(1);

    /// <summary>After the entry was stored.</summary>
    public void Add(ScoreHistoryEntry entry)
    {
        if (_probabilitiesNewestFirst.Length < LeadInsights.TrendWindow)
        {
            Array.Resize(ref _probabilitiesNewestFirst, _probabilitiesNewestFirst.Length + 1);
        }

        Array.Copy(_probabilitiesNewestFirst, 0, _probabilitiesNewestFirst, 1, _probabilitiesNewestFirst.Length - 1);
        _probabilitiesNewestFirst[0] = entry.ConversionProbability;
        (_latestOverallScore, _latestModelVersion, _latestGrade) = (entry.OverallScore, SharedValues.Text(entry.ModelVersion), SharedValues.Text(entry.Grade));
        _stored = _stored.Append(1);
    }

    public readonly record struct LatestScore(string ModelVersion, double OverallScore, double ConversionProbability, string Grade);
}
