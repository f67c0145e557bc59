using System.Text.Json;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Api.Apis;

public static class LeadsApi
{
    public static RouteGroupBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/leads").WithTags("Leads");
        api.MapPost("/", UpsertLead).RequireAuthorization(Policies.Write);
        api.MapGet("/{leadId}", GetLead).RequireAuthorization(Policies.Read);
        api.MapPost("/{leadId}/activities", RecordActivities).RequireAuthorization(Policies.Write);
        api.MapPost("/{leadId}/outcome", RecordOutcome).RequireAuthorization(Policies.Write);
        return api;
    }

    public static async Task<Results<Created<LeadResponse>, Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> UpsertLead(
        HttpRequest request, IClusterClient cluster, RequestLimits limits)
    {
        var body = await JsonBody.ParseAsync(request, limits, LeadRequests.ParseUpsert);
        if (body.Command is not { } lead)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        var result = await Lead(cluster, request, lead.LeadId).Upsert(lead.Upsert);
        return result.Status switch
        {
            CommandStatus.Created => TypedResults.Created($"/api/leads/{lead.LeadId}", LeadResponse.From(result.Lead!)),
            CommandStatus.Ok => TypedResults.Ok(LeadResponse.From(result.Lead!)),
            _ => Problems.Invalid(result.Errors),
        };
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
        var body = await ParseForLead(leadId, request, limits, LeadRequests.ParseActivities);
        if (body.Command is not { } activities)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        var result = await Lead(cluster, request, leadId).RecordActivities(activities);
        return result.Status switch
        {
            CommandStatus.Ok => TypedResults.Accepted($"/api/leads/{leadId}", new ActivitiesAcceptedResponse(result.Accepted, result.Duplicates)),
            CommandStatus.NotFound => Problems.LeadNotFound(leadId),
            _ => Problems.Invalid(result.Errors),
        };
    }

    public static async Task<Results<Ok<OutcomeResponse>, ValidationProblem, ProblemHttpResult>> RecordOutcome(
        string leadId, HttpRequest request, IClusterClient cluster, RequestLimits limits)
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

    /// <summary>The lead id in the path is checked before the body is read.</summary>
    private static async Task<ParsedBody<T>> ParseForLead<T>(
        string leadId, HttpRequest request, RequestLimits limits, Func<JsonElement, JsonFields, T?> parse) where T : class =>
        InvalidLeadId(leadId) is { } invalid
            ? new ParsedBody<T>(null, null, invalid)
            : await JsonBody.ParseAsync(request, limits, parse);

    private static ValidationProblem? InvalidLeadId(string leadId) =>
        LeadKey.IsValidLeadId(leadId)
            ? null
            : Problems.Invalid([new ValidationError("lead_id", LeadKey.LeadIdRule)]);

    private static ILeadGrain Lead(IClusterClient cluster, HttpRequest request, string leadId) =>
        cluster.GetGrain<ILeadGrain>(WorkspaceKey.Format(Workspaces.Of(request.HttpContext), leadId));
}
