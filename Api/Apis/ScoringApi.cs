using System.Diagnostics;
using System.Text.Json;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Options;
using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadScoring.Api.Apis;

public static class ScoringApi
{
    /// <summary>Leads per message from the API to a silo's batch worker (scores and activities).</summary>
    public const int BatchChunk = 500;

    /// <summary>A batch of 10,000 leads with long ids needs more than the default body limit.</summary>
    public const long BatchBodyBytes = 4 * 1024 * 1024;

    public static RouteGroupBuilder MapScoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/ai/scoring").WithTags("Scoring");
        var scoring = api.MapGroup("/score").AddEndpointFilter<MeasuredScoring>().Authorized(Policies.Score);
        scoring.MapPost("/single", ScoreSingle).DescribeBody<ScoreLeadBody>().Describe("ScoreLead", "Score one lead, optionally within an A/B test", 400, 404, 409, 413);
        scoring.MapPost("/batch", ScoreBatch).DescribeBody<ScoreLeadsBatchBody>().Describe("ScoreLeadsBatch", "Score many leads; each lead that cannot be scored is listed with the reason", 400, 413).WithMetadata(new RequestSizeLimitAttribute(BatchBodyBytes));
        scoring.MapGet("/{leadId}", GetScore).Describe("GetLeadScore", "Read a lead's score, with its explanation on request", 400, 404, 409);
        api.MapGet("/score/{leadId}/history", GetHistory).Describe("GetLeadScoreHistory", "A lead's score history, newest first", 400, 404).Authorized(Policies.Read);
        api.MapGet("/performance/metrics", GetMetrics).Describe("GetScoringMetrics", "Scoring figures, the champion's metrics and drift in brief").Authorized(Policies.Read);
        api.MapGet("/drift", GetDrift).Describe("GetDrift", "The champion's drift report", 409).Authorized(Policies.Read);
        return api;
    }

    public static async Task<Results<ScoreJsonResult, Ok<ScoringEnvelope<ScoreResponse>>, ValidationProblem, ProblemHttpResult>> ScoreSingle(
        HttpRequest request, IClusterClient cluster, RequestLimitOptions limits, ScoringMetrics metrics, ScoreResponseCache responses,
        UnavailableRetry retry)
    {
        var started = Stopwatch.GetTimestamp();
        var body = await JsonBody.ParseAsync(request, limits.MaxBodyBytes, ScoreRequests.ParseSingle);
        if (body.Command is not { } score)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        return await Read(request, cluster, score.LeadId, score.IncludeInsights, score.ExperimentId, started, metrics, responses, retry);
    }

    public static async Task<Results<ScoreJsonResult, Ok<ScoringEnvelope<ScoreResponse>>, ValidationProblem, ProblemHttpResult>> GetScore(
        string leadId, [FromQuery(Name = "include_insights")] bool? includeInsights, [FromQuery(Name = "experiment_id")] string? experimentId,
        HttpRequest request, IClusterClient cluster, ScoringMetrics metrics, ScoreResponseCache responses, UnavailableRetry retry)
    {
        var started = Stopwatch.GetTimestamp();
        if (!LeadKey.IsValidLeadId(leadId))
        {
            return Problems.Invalid([new ValidationError("lead_id", LeadKey.LeadIdRule)]);
        }

        return await Read(request, cluster, leadId, includeInsights ?? false, experimentId, started, metrics, responses, retry);
    }

    /// <summary>
    /// Scores up to <see cref="ScoreRequests.MaxBatchLeads"/> leads: chunks of <see cref="BatchChunk"/> go to the
    /// silos' batch workers in parallel. A lead that cannot be scored is listed under "failed" with the reason.
    /// Each result is the score's headline; with include_insights it is the whole score with its explanation.
    /// </summary>
    public static async Task<Results<Ok<ScoringEnvelope<BatchScoreResponse>>, ValidationProblem, ProblemHttpResult>> ScoreBatch(
        HttpRequest request, IClusterClient cluster, RequestLimitOptions limits, ScoringMetrics metrics, UnavailableRetry retry)
    {
        var started = Stopwatch.GetTimestamp();
        var body = await JsonBody.ParseAsync(request, Math.Max(limits.MaxBodyBytes, BatchBodyBytes), ScoreRequests.ParseBatch);
        if (body.Command is not { } batch)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        if (batch.LeadIds.Count > ScoreRequests.MaxBatchLeads)
        {
            return Problems.BatchTooLarge("leads", ScoreRequests.MaxBatchLeads, batch.LeadIds.Count);
        }

        if (RateLimits.ChargeBatch(request.HttpContext, batch.LeadIds.Count) is { } tooMany)
        {
            return tooMany;
        }

        var workspace = Workspaces.Of(request.HttpContext);
        var valid = batch.LeadIds.Where(LeadKey.IsValidLeadId).ToList();
        var chunks = valid.Chunk(BatchChunk).ToList();
        var answers = await Task.WhenAll(chunks.Select(chunk => retry.CallBatchAsync(request.HttpContext, chunk,
            leads => cluster.GetGrain<IScoringBatchGrain>(0).Score(workspace, leads, batch.IncludeInsights),
            unavailable: answer => answer?.Status == ScoreStatus.Unavailable)));
        var results = new List<object>(valid.Count);
        var failed = batch.LeadIds.Where(id => !LeadKey.IsValidLeadId(id)).Select(id => new BatchFailure(id, "invalid lead_id: " + LeadKey.LeadIdRule)).ToList();
        var hits = 0;
        for (var c = 0; c < chunks.Count; c++)
        {
            for (var i = 0; i < chunks[c].Length; i++)
            {
                var leadId = chunks[c][i];
                switch (answers[c][i])
                {
                    case { Status: ScoreStatus.Ok, Summary: { } summary, CacheHit: var hit } answer:
                        results.Add(answer.Score is { } score ? ScoreResponse.From(score, hit) : ScoreSummaryResponse.From(summary, hit));
                        hits += hit ? 1 : 0;
                        break;
                    case { Status: var status }:
                        failed.Add(new BatchFailure(leadId, Reason(status)));
                        break;
                    case null:
                        failed.Add(new BatchFailure(leadId, "internal error while scoring this lead; retry it"));
                        break;
                }
            }
        }

        metrics.RecordScores(results.Count, hits);
        return TypedResults.Ok(new ScoringEnvelope<BatchScoreResponse>(true, new BatchScoreResponse(results, failed), Elapsed(started)));
    }

    public static async Task<Results<Ok<ScoringEnvelope<ScoreHistoryResponse>>, ValidationProblem, ProblemHttpResult>> GetHistory(
        string leadId, HttpRequest request, IClusterClient cluster, UnavailableRetry retry)
    {
        var started = Stopwatch.GetTimestamp();
        if (!LeadKey.IsValidLeadId(leadId))
        {
            return Problems.Invalid([new ValidationError("lead_id", LeadKey.LeadIdRule)]);
        }

        var lead = Lead(cluster, request, leadId);
        var history = await retry.CallAsync(request.HttpContext, lead.GetScoreHistory);
        if (history.Status == ScoreStatus.NotFound)
        {
            return Problems.LeadNotFound(leadId);
        }

        return TypedResults.Ok(new ScoringEnvelope<ScoreHistoryResponse>(true, new ScoreHistoryResponse(leadId,
            [.. history.Entries.Select(ScoreHistoryEntryResponse.From)]),
            Elapsed(started)));
    }

    /// <summary>This API process's measured scoring figures and the champion's holdout metrics from its training report.</summary>
    public static async Task<Ok<ScoringEnvelope<PerformanceMetricsResponse>>> GetMetrics(HttpRequest request, IClusterClient cluster, ScoringMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var stats = metrics.Read();
        var workspace = Workspaces.Of(request.HttpContext);
        var drift = cluster.GetGrain<IDriftGrain>(workspace).GetReport();
        var models = await cluster.GetGrain<IModelRegistryGrain>(workspace).List();
        ModelPerformanceResponse? performance = null;
        if (models.FirstOrDefault(m => m.IsChampion) is { } champion)
        {
            using var report = JsonDocument.Parse(champion.ReportJson);
            var holdout = report.RootElement.GetProperty("holdout");
            double Metric(string name) => holdout.GetProperty(name).GetDouble();
            performance = new ModelPerformanceResponse(champion.Version, Metric("auc"), Metric("accuracy"), Metric("precision"), Metric("recall"), Metric("f1"), Metric("ece"));
        }

        var driftSummary = await drift is { } driftReport
            ? new DriftSummaryResponse(driftReport.Level, driftReport.TotalAlerts, [.. driftReport.RecentAlerts])
            : new DriftSummaryResponse(DriftLevel.None, 0, []);
        return TypedResults.Ok(new ScoringEnvelope<PerformanceMetricsResponse>(true, new PerformanceMetricsResponse(
            new ScoringStatsResponse(stats.TotalScores, Math.Round(stats.AverageMs, 3), stats.P50Ms, stats.P95Ms, stats.P99Ms,
                Math.Round(stats.CacheHitRate, 4), Math.Round(stats.ErrorRate, 4), stats.TotalRequests),
            performance, driftSummary), Elapsed(started)));
    }

    /// <summary>
    /// The workspace's drift against its champion's training reference: per-feature PSI and KS or chi-square,
    /// the score's distribution, the share of drifted features, estimated and realized performance, the level
    /// and the recent alerts. 409 before the workspace has a champion.
    /// </summary>
    public static async Task<Results<Ok<ScoringEnvelope<DriftReport>>, ProblemHttpResult>> GetDrift(HttpRequest request, IClusterClient cluster)
    {
        var started = Stopwatch.GetTimestamp();
        return await cluster.GetGrain<IDriftGrain>(Workspaces.Of(request.HttpContext)).GetReport() is { } report
            ? TypedResults.Ok(new ScoringEnvelope<DriftReport>(true, report, Elapsed(started)))
            : TypedResults.Problem(title: "No drift to report", detail: Reason(ScoreStatus.NoModel), statusCode: StatusCodes.Status409Conflict);
    }

    /// <summary>
    /// A lead's score. Without insights or experiment, the lead is asked whether the score this process wrote
    /// last is still its score, and if so that JSON is written again (<see cref="ScoreResponseCache"/>).
    /// </summary>
    private static async Task<Results<ScoreJsonResult, Ok<ScoringEnvelope<ScoreResponse>>, ValidationProblem, ProblemHttpResult>> Read(
        HttpRequest request, IClusterClient cluster, string leadId, bool includeInsights, string? experimentId, long started,
        ScoringMetrics metrics, ScoreResponseCache responses, UnavailableRetry retry)
    {
        var workspace = Workspaces.Of(request.HttpContext);
        var lead = cluster.GetLead(workspace, leadId);
        if (includeInsights || experimentId is not null)
        {
            var result = await retry.CallAsync(request.HttpContext, () =>
                experimentId is null ? lead.GetScore(includeInsights) : lead.GetExperimentScore(experimentId, includeInsights));
            return Answer(leadId, result, experimentId, started, metrics, json: null);
        }

        var known = responses.Find(workspace, leadId);
        var read = await retry.CallAsync(request.HttpContext, () =>
            known is null ? lead.GetScore(false) : lead.GetScoreIfChanged(known.ScoredAt, known.ModelVersion));
        return read.Unchanged
            ? Answer(leadId, read, null, started, metrics, known)
            : Answer(leadId, read, null, started, metrics, read.Score is { } score ? responses.Remember(workspace, score) : null);
    }

    /// <param name="json">The score's JSON when the answer is a score without explanation or experiment.</param>
    private static Results<ScoreJsonResult, Ok<ScoringEnvelope<ScoreResponse>>, ValidationProblem, ProblemHttpResult> Answer(
        string leadId, ScoreResult result, string? experimentId, long started, ScoringMetrics metrics, ScoreJson? json)
    {
        if (result.Status == ScoreStatus.Ok && json is not null)
        {
            metrics.RecordScores(1, result.CacheHit ? 1 : 0);
            return json.Answer(result.CacheHit, Elapsed(started));
        }

        if (result is { Status: ScoreStatus.Ok, Score: { } score })
        {
            metrics.RecordScores(1, result.CacheHit ? 1 : 0);
            var response = ScoreResponse.From(score, result.CacheHit) with
            {
                Experiment = result.ExperimentVariant is { } variant ? new ExperimentExposureResponse(experimentId!, variant) : null,
            };
            return TypedResults.Ok(new ScoringEnvelope<ScoreResponse>(true, response, Elapsed(started)));
        }

        return result.Status switch
        {
            ScoreStatus.NotFound => Problems.LeadNotFound(leadId),
            ScoreStatus.ExperimentNotFound => Problems.ExperimentNotFound(experimentId!),
            _ => TypedResults.Problem(title: "Lead not scored", detail: Reason(result.Status), statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static string Reason(ScoreStatus status) => status switch
    {
        ScoreStatus.NotFound => "lead not found in this workspace",
        ScoreStatus.NoConsent => "the lead has withdrawn consent to profiling (consent.profiling = false), so it is not scored",
        ScoreStatus.NoModel => "no model trained for this workspace: train one (POST /api/ai/scoring/model/train) or promote a version",
        ScoreStatus.Unavailable => "unavailable: the lead's silo or the database could not be reached now; retry it",
        _ => status.ToString(),
    };

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);

    private static ILeadGrain Lead(IClusterClient cluster, HttpRequest request, string leadId) =>
        cluster.GetLead(Workspaces.Of(request.HttpContext), leadId);
}
