using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Api.Apis;

public static class LeadsApi
{
    public static RouteGroupBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leads").WithTags("Leads");
        api.MapPost("/", UpsertLead);
        api.MapGet("/{leadId}", GetLead);
        api.MapPost("/{leadId}/activities", RecordActivities);
        api.MapPost("/{leadId}/outcome", RecordOutcome);
        return api;
    }

    public static async Task<Results<Created<LeadResponse>, Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> UpsertLead(
        HttpRequest request, IClusterClient cluster, RequestLimits limits)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, limits);
        if (document is null)
        {
            return (ProblemHttpResult)problem!;
        }

        using (document)
        {
            var fields = new JsonFields([]);
            var (leadId, upsert) = LeadRequests.ParseUpsert(document.RootElement, fields);
            if (fields.Errors.Count > 0 || leadId is null || upsert is null)
            {
                return Problems.Invalid(fields.Errors);
            }

            var result = await Lead(cluster, request, leadId).Upsert(upsert);
            return result.Status switch
            {
                CommandStatus.Created => TypedResults.Created($"/api/leads/{leadId}", LeadResponse.From(result.Lead!)),
                CommandStatus.Ok => TypedResults.Ok(LeadResponse.From(result.Lead!)),
                _ => Problems.Invalid(result.Errors),
            };
        }
    }

    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> GetLead(
        string leadId, HttpRequest request, IClusterClient cluster)
    {
        if (InvalidLeadId(leadId) is { } invalid)
        {
            return invalid;
        }

        var lead = await Lead(cluster, request, leadId).GetSnapshot();
        return lead is null ? Problems.LeadNotFound(leadId) : TypedResults.Ok(LeadResponse.From(lead));
    }

    public static async Task<Results<Accepted<ActivitiesAcceptedResponse>, ValidationProblem, ProblemHttpResult>> RecordActivities(
        string leadId, HttpRequest request, IClusterClient cluster, RequestLimits limits)
    {
        if (InvalidLeadId(leadId) is { } invalid)
        {
            return invalid;
        }

        var (document, problem) = await JsonBody.ReadAsync(request, limits);
        if (document is null)
        {
            return (ProblemHttpResult)problem!;
        }

        using (document)
        {
            var fields = new JsonFields([]);
            var activities = LeadRequests.ParseActivities(document.RootElement, fields);
            if (fields.Errors.Count > 0)
            {
                return Problems.Invalid(fields.Errors);
            }

            var result = await Lead(cluster, request, leadId).RecordActivities(activities);
            return result.Status switch
            {
                CommandStatus.Ok => TypedResults.Accepted($"/api/leads/{leadId}", new ActivitiesAcceptedResponse(result.Accepted, result.Duplicates)),
                CommandStatus.NotFound => Problems.LeadNotFound(leadId),
                _ => Problems.Invalid(result.Errors),
            };
        }
    }

    public static async Task<Results<Ok<OutcomeResponse>, ValidationProblem, ProblemHttpResult>> RecordOutcome(
        string leadId, HttpRequest request, IClusterClient cluster, RequestLimits limits)
    {
        if (InvalidLeadId(leadId) is { } invalid)
        {
            return invalid;
        }

        var (document, problem) = await JsonBody.ReadAsync(request, limits);
        if (document is null)
        {
            return (ProblemHttpResult)problem!;
        }

        using (document)
        {
            var fields = new JsonFields([]);
            var outcome = LeadRequests.ParseOutcome(document.RootElement, fields);
            if (fields.Errors.Count > 0 || outcome is null)
            {
                return Problems.Invalid(fields.Errors);
            }

            var result = await Lead(cluster, request, leadId).RecordOutcome(outcome);
            return result.Status switch
            {
                CommandStatus.Ok => TypedResults.Ok(OutcomeResponse.From(result.Outcome!)),
                CommandStatus.NotFound => Problems.LeadNotFound(leadId),
                _ => Problems.Invalid(result.Errors),
            };
        }
    }

    private static ValidationProblem? InvalidLeadId(string leadId) =>
        LeadKey.IsValidLeadId(leadId)
            ? null
            : Problems.Invalid([new ValidationError("lead_id", $"must be 1-{LeadKey.MaxLeadIdLength} characters of letters, digits, '.', '_', '-', ':' or '@'")]);

    private static ILeadGrain Lead(IClusterClient cluster, HttpRequest request, string leadId) =>
        cluster.GetGrain<ILeadGrain>(LeadKey.Format(Workspaces.Of(request.HttpContext), leadId));
}
