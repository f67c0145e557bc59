using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

/// <summary>The envelope of every scoring answer: the payload and how long the API took to produce it.</summary>
public sealed record ScoringEnvelope<T>(bool Success, T Data, double ProcessingTimeMs);

public sealed record FactorResponse(string Feature, string? Value, double Impact, FeatureDimension Dimension, string Description)
{
    public static FactorResponse From(ScoreFactor factor) => new(factor.Feature, factor.Value, factor.Impact, factor.Dimension, factor.Description);
}

public sealed record RecommendationsResponse(string NextBestAction, string? OptimalContactTime, string? BestChannel, IReadOnlyList<string> Content);

public sealed record ContributionResponse(string Feature, string? Value, double Contribution, FeatureDimension Dimension);

public sealed record ExplanationResponse(double BaseValue, double OutputValue, IReadOnlyList<ContributionResponse> Contributions);

/// <summary>A lead's score as the API shows it (the six dimension scores flat, as the original design had them).</summary>
public sealed record ScoreResponse(
    string LeadId,
    double OverallScore,
    double ConversionProbability,
    double Confidence,
    string Grade,
    double? BehavioralScore,
    double? EngagementScore,
    double? DemographicScore,
    double? TemporalScore,
    double? InteractionScore,
    double? QualityScore,
    IReadOnlyList<FactorResponse> KeyFactors,
    IReadOnlyList<FactorResponse> RiskFactors,
    IReadOnlyList<string> Opportunities,
    IReadOnlyList<string> MissingFeatures,
    RecommendationsResponse Recommendations,
    double? PredictedDealSize,
    double? PredictedDaysToClose,
    double GoingColdRisk,
    ScoreTrend Trend,
    string ModelVersion,
    DateTimeOffset ScoredAt,
    ScoreTrigger Trigger,
    bool Cached,
    ExplanationResponse? Explanation,
    ExperimentExposureResponse? Experiment = null)
{
    public static ScoreResponse From(LeadScore score, bool cached) => new(
        score.LeadId,
        score.OverallScore,
        score.ConversionProbability,
        score.Confidence,
        score.Grade,
        score.Dimensions.Behavioral,
        score.Dimensions.Engagement,
        score.Dimensions.Demographic,
        score.Dimensions.Temporal,
        score.Dimensions.Interaction,
        score.Dimensions.Quality,
        [.. score.KeyFactors.Select(FactorResponse.From)],
        [.. score.RiskFactors.Select(FactorResponse.From)],
        score.Opportunities,
        score.MissingFeatures ?? [],
        new RecommendationsResponse(score.Recommendations.NextBestAction, score.Recommendations.OptimalContactTime,
            score.Recommendations.BestChannel, score.Recommendations.Content),
        score.PredictedDealSize,
        score.PredictedDaysToClose,
        score.GoingColdRisk,
        score.Trend,
        score.ModelVersion,
        score.ScoredAt,
        score.Trigger,
        cached,
        score.Explanation is { } explanation
            ? new ExplanationResponse(explanation.BaseValue, explanation.OutputValue,
                [.. explanation.Contributions.Select(c => new ContributionResponse(c.Feature, c.Value, c.Contribution, c.Dimension))])
            : null);
}

/// <summary>Which experiment variant scored the lead (present only when the request named a running experiment).</summary>
public sealed record ExperimentExposureResponse(string ExperimentId, string Variant);

public sealed record BatchFailure(string LeadId, string Error);

/// <summary>A lead of a batch without insights: the headline of its score.</summary>
public sealed record ScoreSummaryResponse(
    string LeadId,
    double OverallScore,
    double ConversionProbability,
    double Confidence,
    string Grade,
    double? BehavioralScore,
    double? EngagementScore,
    double? DemographicScore,
    double? TemporalScore,
    double? InteractionScore,
    double? QualityScore,
    string ModelVersion,
    DateTimeOffset ScoredAt,
    bool Cached)
{
    public static ScoreSummaryResponse From(ScoreSummary score, bool cached) => new(
        score.LeadId, score.OverallScore, score.ConversionProbability, score.Confidence, score.Grade,
        score.Dimensions.Behavioral, score.Dimensions.Engagement, score.Dimensions.Demographic,
        score.Dimensions.Temporal, score.Dimensions.Interaction, score.Dimensions.Quality,
        score.ModelVersion, score.ScoredAt, cached);
}

/// <param name="Results">Summaries, or whole scores (<see cref="ScoreResponse"/>) when insights were asked for.</param>
public sealed record BatchScoreResponse(IReadOnlyList<object> Results, IReadOnlyList<BatchFailure> Failed);

public sealed record ScoreHistoryEntryResponse(DateTimeOffset ScoredAt, double OverallScore, double ConversionProbability, string Grade, string ModelVersion, ScoreTrigger Trigger)
{
    public static ScoreHistoryEntryResponse From(ScoreHistoryEntry e) => new(e.ScoredAt, e.OverallScore, e.ConversionProbability, e.Grade, e.ModelVersion, e.Trigger);
}

public sealed record ScoreHistoryResponse(string LeadId, IReadOnlyList<ScoreHistoryEntryResponse> History);

public sealed record ScoringStatsResponse(
    long TotalScores, double AvgResponseTimeMs, double P50Ms, double P95Ms, double P99Ms, double CacheHitRate, double ErrorRate, long TotalRequests);

public sealed record ModelPerformanceResponse(string ModelVersion, double Auc, double Accuracy, double Precision, double Recall, double F1, double Ece);

public sealed record DriftSummaryResponse(DriftLevel Level, int TotalAlerts, IReadOnlyList<DriftAlert> RecentAlerts);

public sealed record PerformanceMetricsResponse(ScoringStatsResponse ScoringStats, ModelPerformanceResponse? ModelPerformance, DriftSummaryResponse DriftSummary);

/// <summary>A score request: one lead.</summary>
public sealed record SingleScoreRequest(string LeadId, bool IncludeInsights, string? ExperimentId);

/// <summary>A batch score request; lead ids are checked one by one so that a bad one fails only itself.</summary>
public sealed record BatchScoreRequest(IReadOnlyList<string> LeadIds, bool IncludeInsights);
