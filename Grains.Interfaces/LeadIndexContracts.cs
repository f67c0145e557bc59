namespace LeadScoring.Grains.Interfaces;

/// <summary>A lead as the workspace's lead index lists it: no personal data, a score only when the lead has one.</summary>
/// <param name="Converted">The recorded outcome, if any.</param>
/// <param name="Attributes">The lead's attributes (never its personal ones); the index keeps those the workspace marks as indexed.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadIndexEntry")]
public sealed record LeadIndexEntry(
    [property: Id(0)] string LeadId,
    [property: Id(1)] double? OverallScore,
    [property: Id(2)] double? ConversionProbability,
    [property: Id(3)] string? Grade,
    [property: Id(4)] ScoreTrend? Trend,
    [property: Id(5)] string? ModelVersion,
    [property: Id(6)] DateTimeOffset? ScoredAt,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] bool ProfilingConsent,
    [property: Id(10)] bool MarketingConsent,
    [property: Id(11)] bool? Converted,
    [property: Id(12)] IReadOnlyDictionary<string, string> Attributes);

/// <summary>How the lead index sorts: a field, descending when <see cref="Descending"/>; ties go by lead id the same way.</summary>
[GenerateSerializer, Alias("LeadScoring.LeadIndexSortField")]
public enum LeadIndexSortField
{
    Score = 0,
    UpdatedAt = 1,
    LeadId = 2,
}

/// <summary>
/// A page request of the lead index. <see cref="AsOf"/> is the index position the first page was read at:
/// later pages read the index as it was then, so paging under concurrent change neither skips nor repeats a lead.
/// </summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadIndexQuery")]
public sealed record LeadIndexQuery(
    [property: Id(0)] IReadOnlyList<string>? Grades,
    [property: Id(1)] double? MinScore,
    [property: Id(2)] double? MaxScore,
    [property: Id(3)] ScoreTrend? Trend,
    [property: Id(4)] IReadOnlyDictionary<string, string> Attributes,
    [property: Id(5)] LeadIndexSortField Sort,
    [property: Id(6)] bool Descending,
    [property: Id(7)] int Limit,
    [property: Id(8)] LeadIndexCursor? After,
    [property: Id(9)] DateTimeOffset? ScoredSince = null);

/// <summary>Where a page ended: the last lead's sort key and id, the index position the paging reads at, and when its first page was read.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadIndexCursor")]
public sealed record LeadIndexCursor(
    [property: Id(0)] double? Score, [property: Id(1)] DateTimeOffset? UpdatedAt, [property: Id(2)] string LeadId, [property: Id(3)] long AsOf,
    [property: Id(4)] DateTimeOffset FirstPageAt);

[GenerateSerializer, Immutable, Alias("LeadScoring.LeadIndexPage")]
public sealed record LeadIndexPage([property: Id(0)] IReadOnlyList<LeadIndexEntry> Leads, [property: Id(1)] LeadIndexCursor? Next);

/// <summary>The workspace's leads at a glance: counts by grade, a histogram of scores in tens, conversion by grade.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadIndexSummary")]
public sealed record LeadIndexSummary(
    [property: Id(0)] long Leads,
    [property: Id(1)] IReadOnlyDictionary<string, long> ByGrade,
    [property: Id(2)] IReadOnlyList<long> ScoreHistogram,
    [property: Id(3)] IReadOnlyDictionary<string, GradeConversion> ConversionByGrade);

/// <summary>Of the leads of a grade with a recorded outcome, how many converted.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.GradeConversion")]
public sealed record GradeConversion([property: Id(0)] long Outcomes, [property: Id(1)] long Converted, [property: Id(2)] double? Rate);
