using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Audit;
using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Api.Apis;

public sealed record LeadListResponse(IReadOnlyList<LeadIndexEntry> Leads, string? NextCursor);

public sealed record LeadIndexEnvelope<T>(T Data);

/// <summary>The lead index: lists with filters and keyset paging, the workspace's summary, and rebuilding the index.</summary>
public static class LeadIndexApi
{
    public static RouteGroupBuilder MapLeadIndexApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/leads").WithTags("Leads");
        api.MapGet("/", List).Describe("ListLeads", "List leads by score, filtered, a page at a time", 400).Authorized(Policies.Read);
        api.MapGet("/summary", Summary).Describe("GetLeadSummary", "Leads by grade, the score distribution and conversion by grade").Authorized(Policies.Read);
        api.MapPost("/index/rebuild", StartRebuild).Describe("StartLeadIndexRebuild", "Rebuild the lead list from the leads").Authorized(Policies.Admin).Audited("lead_index.rebuild");
        api.MapGet("/index/rebuild", GetRebuild).Describe("GetLeadIndexRebuild", "The lead list rebuild's progress", 404).Authorized(Policies.Admin);
        return api;
    }

    public static async Task<Results<Ok<LeadIndexEnvelope<LeadListResponse>>, ValidationProblem>> List(HttpRequest request, IClusterClient cluster, UnavailableRetry retry)
    {
        var errors = new List<ValidationError>();
        if (LeadIndexRequests.Parse(request.Query, errors) is not { } query)
        {
            return Problems.Invalid(errors);
        }

        var result = await retry.CallAsync(request.HttpContext, () => cluster.GetGrain<ILeadIndexQueryGrain>(Workspaces.Of(request.HttpContext)).Query(query));
        if (result.Page is not { } page)
        {
            return Problems.Invalid(result.Errors);
        }

        var next = page.Next is { } cursor ? LeadIndexRequests.CursorText(cursor, LeadIndexRequests.SortText(query)) : null;
        return TypedResults.Ok(new LeadIndexEnvelope<LeadListResponse>(new LeadListResponse(page.Leads, next)));
    }

    public static async Task<Ok<LeadIndexEnvelope<LeadIndexSummary>>> Summary(HttpRequest request, IClusterClient cluster, UnavailableRetry retry) =>
        TypedResults.Ok(new LeadIndexEnvelope<LeadIndexSummary>(
            await retry.CallAsync(request.HttpContext, () => cluster.GetGrain<ILeadIndexQueryGrain>(Workspaces.Of(request.HttpContext)).Summary())));

    public static async Task<Accepted<LeadIndexEnvelope<LeadIndexRebuild>>> StartRebuild(HttpRequest request, IClusterClient cluster) =>
        TypedResults.Accepted("/api/leads/index/rebuild",
            new LeadIndexEnvelope<LeadIndexRebuild>(await cluster.GetGrain<ILeadIndexGrain>(Workspaces.Of(request.HttpContext)).StartRebuild()));

    public static async Task<Results<Ok<LeadIndexEnvelope<LeadIndexRebuild>>, ProblemHttpResult>> GetRebuild(HttpRequest request, IClusterClient cluster) =>
        await cluster.GetGrain<ILeadIndexGrain>(Workspaces.Of(request.HttpContext)).GetRebuild() is { } rebuild
            ? TypedResults.Ok(new LeadIndexEnvelope<LeadIndexRebuild>(rebuild))
            : TypedResults.Problem(title: "No rebuild", detail: "No rebuild of this workspace's lead index ran since its grain started.", statusCode: StatusCodes.Status404NotFound);
}
