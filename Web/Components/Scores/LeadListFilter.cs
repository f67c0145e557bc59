using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Web.Components.Scores;

/// <summary>What the Leads page lists: the filters a user set, turned into a query of the lead index.</summary>
public sealed record LeadListFilter(
    IReadOnlyList<string> Grades, double? MinScore, double? MaxScore, ScoreTrend? Trend, string? AttributeName, string? AttributeValue, bool WentUpToday = false)
{
    public const int PageSize = 50;

    public static readonly LeadListFilter None = new([], null, null, null, null, null);

    /// <summary>"Went up today": improving, and scored since midnight UTC.</summary>
    private ScoreTrend? QueriedTrend => WentUpToday ? ScoreTrend.Improving : Trend;


    private bool HasAttribute => !string.IsNullOrWhiteSpace(AttributeName) && AttributeValue is not null;

    /// <summary>The index query of one page, best scores first.</summary>
    public LeadIndexQuery ToQuery(LeadIndexCursor? after) => new(
        Grades.Count > 0 ? Grades : null, MinScore, MaxScore, QueriedTrend,
        HasAttribute ? new Dictionary<string, string>(StringComparer.Ordinal) { [AttributeName!.Trim()] = AttributeValue! } : new Dictionary<string, string>(),
        LeadIndexSortField.Score, Descending: true, PageSize, after, WentUpToday ? DateTimeOffset.UtcNow.Date : null);

    /// <summary>Whether a lead with this grade and score belongs in the list (a live event's lead that is not on the page yet).</summary>
    public bool Admits(string? grade, double? score, ScoreTrend? trend) =>
        (Grades.Count == 0 || (grade is not null && Grades.Contains(grade)))
        && (MinScore is null || score >= MinScore)
        && (MaxScore is null || score <= MaxScore)
        && (QueriedTrend is null || trend == QueriedTrend)
        && !HasAttribute;

    /// <summary>The same checks the API makes on min_score and max_score; null when the filter can be asked.</summary>
    public string? Problem =>
        MinScore is < 0 or > 100 ? "The lowest score is between 0 and 100."
        : MaxScore is < 0 or > 100 ? "The highest score is between 0 and 100."
        : MinScore > MaxScore ? "The lowest score is above the highest."
        : !string.IsNullOrWhiteSpace(AttributeName) && AttributeValue is null ? "Give the attribute's value too."
        : WentUpToday && Trend is ScoreTrend.Declining or ScoreTrend.Steady ? "A lead that went up today is improving: clear the trend or this box."
        : null;
}
