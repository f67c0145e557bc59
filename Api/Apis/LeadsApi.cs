using LeadScoring.Common;
using System.Text.Json;
using LeadScoring.Api.Audit;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Options;
using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadScoring.Api.Apis;

public static class LeadsApi
{
    /// <summary>A batch of 1,000 activities with long URLs needs more than the default body limit.</summary>
    public const long ActivityBatchBodyBytes = 4 * 1024 * 1024;

    public static RouteGroupBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/leads").WithTags("Leads");
        api.MapPost("/", UpsertLead).DescribeBody<UpsertLeadBody>().Describe("UpsertLead", "Create or update a lead", 400, 413).Authorized(Policies.Write).Audited("lead.upsert");
        api.MapGet("/{leadId}", GetLead).Describe("GetLead", "Read a lead", 400, 404).Authorized(Policies.Read).Audited("lead.read_personal_data", onlyWhenAdmin: true);
        api.MapPost("/{leadId}/activities", RecordActivities).DescribeBody<LeadActivitiesBody>().Describe("RecordLeadActivities", "Record a lead's activities; the lead is rescored before the answer", 400, 404, 413).Authorized(Policies.Write).Audited("lead.activities");
        api.MapPost("/activities/batch", RecordActivityBatch).DescribeBody<ActivityBatchBody>().Describe("RecordActivityBatch", "Record activities of many leads at once", 400, 413).WithMetadata(new RequestSizeLimitAttribute(ActivityBatchBodyBytes))
            .Authorized(Policies.Write).Audited("lead.activities");
        api.MapPost("/{leadId}/outcome", RecordOutcome).DescribeBody<LeadOutcomeBody>().Describe("RecordLeadOutcome", "Record whether a lead converted", 400, 404, 413).Authorized(Policies.Write).Audited("lead.outcome");
        api.MapPost("/{leadId}/consent", UpdateConsent).DescribeBody<ConsentBody>().Describe("UpdateLeadConsent", "Change a lead's consent to profiling or marketing", 400, 404).Authorized(Policies.Write).Audited("lead.consent");
        api.MapGet("/{leadId}/export", ExportLead).Describe("ExportLead", "Export everything held about a lead, unmasked", 400, 404).Authorized(Policies.Admin).Audited("lead.export");
        api.MapDelete("/{leadId}", EraseLead).Describe("EraseLead", "Erase a lead everywhere", 400, 404).Authorized(Policies.Admin).Audited("lead.erase");
        return api;
    }

    public static async Task<Results<Created<LeadResponse>, Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> UpsertLead(
        HttpRequest request, IClusterClient cluster, RequestLimitOptions limits, UnavailableRetry retry)
    {
        var body = await JsonBody.ParseAsync(request, limits.MaxBodyBytes, LeadRequests.ParseUpsert);
        if (body.Command is not { } lead)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        AuditTrail.TargetLead(request.HttpContext, lead.LeadId);
        var grain = Lead(cluster, request, lead.LeadId);
        var result = await retry.CallAsync(request.HttpContext, () => grain.Upsert(lead.Upsert));
        return result.Status switch
        {
            CommandStatus.Created => TypedResults.Created($"/api/leads/{lead.LeadId}", LeadResponse.From(result.Lead!, Masked(request))),
            CommandStatus.Ok => TypedResults.Ok(LeadResponse.From(result.Lead!, Masked(request))),
            _ => Problems.Invalid(result.Errors),
        };
    }

    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> GetLead(
        string leadId, HttpRequest request, IClusterClient cluster, UnavailableRetry retry)
    {
        if (InvalidLeadId(leadId) is { } invalid)
        {
            return invalid;
        }

        var grain = Lead(cluster, request, leadId);
        var lead = await retry.CallAsync(request.HttpContext, grain.GetSnapshot);
        return lead is null ? Problems.LeadNotFound(leadId) : TypedResults.Ok(LeadResponse.From(lead, Masked(request)));
    }

    public static async Task<Results<Accepted<ActivitiesAcceptedResponse>, ValidationProblem, ProblemHttpResult>> RecordActivities(
        string leadId, HttpRequest request, IClusterClient cluster, RequestLimitOptions limits, UnavailableRetry retry)
    {
        var body = await ParseForLead(leadId, request, limits, LeadRequests.ParseActivities);
        if (body.Command is not { } activities)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        if (RateLimits.ChargeBatch(request.HttpContext, activities.Count) is { } tooMany)
        {
            return tooMany;
        }

        var grain = Lead(cluster, request, leadId);
        var result = await retry.CallAsync(request.HttpContext, () => grain.RecordActivities(activities), repeatable: AllHaveIds(activities));
        return result.Status switch
        {
            CommandStatus.Ok => TypedResults.Accepted($"/api/leads/{leadId}", new ActivitiesAcceptedResponse(result.Accepted, result.Duplicates)),
            CommandStatus.NotFound => Problems.LeadNotFound(leadId),
            _ => Problems.Invalid(result.Errors),
        };
    }

    /// <summary>
    /// Records up to <see cref="LeadRequests.MaxBatchActivities"/> activities of many leads in one call, as a tracker,
    /// a CDP or a CRM sync sends them: each lead takes its own in one call of its grain, all leads at once, and the
    /// answer comes once every lead's state is persisted. A lead that is unknown or refuses its activities is listed
    /// under "failed" with the reason (and the batch's fields at fault) and stores none of them; the others are
    /// stored. A body that is not a valid batch (a missing lead_id, a malformed activity) is refused whole.
    /// </summary>
    public static async Task<Results<Ok<ActivityBatchResponse>, ValidationProblem, ProblemHttpResult>> RecordActivityBatch(
        HttpRequest request, IClusterClient cluster, RequestLimitOptions limits, UnavailableRetry retry)
    {
        var body = await JsonBody.ParseAsync(
            request, Math.Max(limits.MaxBodyBytes, ActivityBatchBodyBytes), LeadRequests.ParseActivityBatch);
        if (body.Command is not { } batch)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        if (batch.Activities > LeadRequests.MaxBatchActivities)
        {
            return Problems.BatchTooLarge("activities", LeadRequests.MaxBatchActivities, batch.Activities);
        }

        if (RateLimits.ChargeBatch(request.HttpContext, batch.Activities) is { } tooMany)
        {
            return tooMany;
        }

        AuditTrail.TargetLeads(request.HttpContext, batch.Leads.Select(lead => lead.LeadId));
        var workspace = Workspaces.Of(request.HttpContext);
        var answers = (await Task.WhenAll(batch.Leads.Chunk(ScoringApi.BatchChunk)
            .Select(chunk => retry.CallBatchAsync(request.HttpContext, chunk, leads => cluster.GetGrain<IActivityBatchGrain>(0).Record(workspace, leads),
                unavailable: answer => answer?.Status == CommandStatus.Unavailable,
                repeatable: chunk.All(lead => AllHaveIds(lead.Activities)))))).SelectMany(chunk => chunk).ToList();
        var results = new List<LeadActivitiesAcceptedResponse>(batch.Leads.Count);
        var failed = new List<ActivityBatchFailure>();
        for (var i = 0; i < batch.Leads.Count; i++)
        {
            var leadId = batch.Leads[i].LeadId;
            switch (answers[i])
            {
                case { Status: CommandStatus.Ok } recorded:
                    results.Add(new LeadActivitiesAcceptedResponse(leadId, recorded.Accepted, recorded.Duplicates));
                    break;
                case { Status: CommandStatus.Unavailable }:
                    failed.Add(new ActivityBatchFailure(leadId,
                        "Unavailable: the lead's silo or the database could not be reached now; none of its activities are acknowledged. Retry them: with activity ids a retry never counts one twice.", []));
                    break;
                case { Status: CommandStatus.NotFound }:
                    failed.Add(new ActivityBatchFailure(leadId, $"No lead '{leadId}' exists in this workspace; none of its activities were stored.", []));
                    break;
                case { Errors: var errors }:
                    failed.Add(new ActivityBatchFailure(leadId, "Invalid activities; none of this lead's were stored.",
                        [.. errors.Select(error => InBatch(error, batch.Positions[i]))]));
                    break;
                case null:
                    failed.Add(new ActivityBatchFailure(leadId,
                        "Internal error while recording this lead's activities; they may not be stored. Retry them: with activity ids a retry never counts one twice.", []));
                    break;
            }
        }

        return TypedResults.Ok(new ActivityBatchResponse(results, failed));
    }

    public static async Task<Results<Ok<OutcomeResponse>, ValidationProblem, ProblemHttpResult>> RecordOutcome(
        string leadId, HttpRequest request, IClusterClient cluster, RequestLimitOptions limits)
    {
        var body = await ParseForLead(leadId, request, limits, LeadRequests.ParseOutcome);
        if (body.Command is not { } outcome)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        var result = await Lead(cluster, request, leadId).RecordOutcome(outcome);
        return result.Status switch
        {
            CommandStatus.Ok => TypedResults.Ok(OutcomeResponse.From(result.Outcome!)),
            CommandStatus.NotFound => Problems.LeadNotFound(leadId),
            _ => Problems.Invalid(result.Errors),
        };
    }

    /// <summary>Sets profiling and/or marketing consent; without profiling consent the lead is neither scored nor trained on.</summary>
    public static async Task<Results<Ok<ConsentResponse>, ValidationProblem, ProblemHttpResult>> UpdateConsent(
        string leadId, HttpRequest request, IClusterClient cluster, RequestLimitOptions limits)
    {
        var body = await ParseForLead(leadId, request, limits, LeadRequests.ParseConsent);
        if (body.Command is not { } consent)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        var result = await Lead(cluster, request, leadId).UpdateConsent(consent);
        return result.Status == CommandStatus.Ok
            ? TypedResults.Ok(new ConsentResponse(result.Consent!.Profiling, result.Consent.Marketing))
            : Problems.LeadNotFound(leadId);
    }

    /// <summary>Everything held about the lead, unmasked (GDPR data portability; admin only, audited).</summary>
    public static async Task<Results<Ok<LeadExportResponse>, ValidationProblem, ProblemHttpResult>> ExportLead(
        string leadId, HttpRequest request, IClusterClient cluster, UnavailableRetry retry)
    {
        if (InvalidLeadId(leadId) is { } invalid)
        {
            return invalid;
        }

        var grain = Lead(cluster, request, leadId);
        var export = await retry.CallAsync(request.HttpContext, grain.Export);
        return export is null
            ? Problems.LeadNotFound(leadId)
            : TypedResults.Ok(new LeadExportResponse(
                LeadResponse.From(export.Lead, masked: false), [.. export.ScoreHistory.Select(ScoreHistoryEntryResponse.From)], export.ExportedAt));
    }

    /// <summary>Erases the lead everywhere (GDPR right to erasure); the audit trail keeps only its hashed id.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> EraseLead(
        string leadId, HttpRequest request, IClusterClient cluster)
    {
        if (InvalidLeadId(leadId) is { } invalid)
        {
            return invalid;
        }

        return await Lead(cluster, request, leadId).Erase() ? TypedResults.NoContent() : Problems.LeadNotFound(leadId);
    }

    /// <summary>A lead's error about its own list ("activities[2].occurred_at") as a field of the whole batch.</summary>
    private static ValidationError InBatch(ValidationError error, IReadOnlyList<int> positions)
    {
        const string list = "activities[";
        var end = error.Field.IndexOf(']');
        return error.Field.StartsWith(list, StringComparison.Ordinal) && end > list.Length
            && int.TryParse(error.Field.AsSpan(list.Length, end - list.Length), out var index) && index < positions.Count
                ? error with { Field = $"{list}{positions[index]}{error.Field[end..]}" }
                : error;
    }

    /// <summary>Whether a repeat of these activities is a duplicate rather than a second count.</summary>
    private static bool AllHaveIds(IReadOnlyList<ActivityRecord> activities) => activities.All(activity => activity.ActivityId is not null);

    private static bool Masked(HttpRequest request) => !request.HttpContext.User.IsInRole(Roles.Admin);

    /// <summary>The lead id in the path is checked before the body is read.</summary>
    private static async Task<ParsedBody<T>> ParseForLead<T>(
        string leadId, HttpRequest request, RequestLimitOptions limits, Func<JsonElement, JsonFields, T?> parse) where T : class =>
        InvalidLeadId(leadId) is { } invalid
            ? new ParsedBody<T>(null, null, invalid)
            : await JsonBody.ParseAsync(request, limits.MaxBodyBytes, parse);

    private static ValidationProblem? InvalidLeadId(string leadId) =>
        LeadKey.IsValidLeadId(leadId)
            ? null
            : Problems.Invalid([new ValidationError("lead_id", LeadKey.LeadIdRule)]);

    private static ILeadGrain Lead(IClusterClient cluster, HttpRequest request, string leadId) =>
        cluster.GetLead(Workspaces.Of(request.HttpContext), leadId);
}
