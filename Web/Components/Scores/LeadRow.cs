using LeadScoring.Grains.Interfaces;
using LeadScoring.Web.Wording;

namespace LeadScoring.Web.Components.Scores;

/// <summary>One line of the Leads page: the index's headline, completed from the lead's own score.</summary>
public sealed class LeadRow
{
    public required string LeadId { get; init; }

    public double? Score { get; private set; }

    public string? Grade { get; private set; }

    public ScoreTrend? Trend { get; private set; }

    public double? Confidence { get; private set; }

    public double? GoingColdRisk { get; private set; }

    public string? TopReason { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the row last changed on the open page (live), to highlight it.</summary>
    public DateTimeOffset? ChangedLive { get; private set; }

    public static LeadRow From(LeadIndexEntry entry) => new()
    {
        LeadId = entry.LeadId,
        Score = entry.OverallScore,
        Grade = entry.Grade,
        Trend = entry.Trend,
        UpdatedAt = entry.UpdatedAt,
    };

    public void Complete(LeadScore? score)
    {
        if (score is null)
        {
            return;
        }

        Score = score.OverallScore;
        Grade = score.Grade;
        Trend = score.Trend;
        Confidence = score.Confidence;
        GoingColdRisk = score.GoingColdRisk;
        TopReason = score.KeyFactors.Count > 0 ? FeatureWording.Reason(score.KeyFactors[0].Feature, score.KeyFactors[0].Value) : null;
    }

    public void Update(LiveScore live)
    {
        Score = live.Score ?? Score;
        Grade = live.Grade ?? Grade;
        Trend = live.Trend ?? Trend;
        UpdatedAt = live.ScoredAt ?? UpdatedAt;
        ChangedLive = DateTimeOffset.UtcNow;
    }
}
