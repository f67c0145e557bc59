using LeadScoring.Api.Audit;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Options;
using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Api.Apis;

public sealed record ExperimentEnvelope<T>(bool Success, T Data);

public sealed record ExperimentListResponse(IReadOnlyList<ExperimentRecord> Experiments);

public static class ExperimentsApi
{
    public static RouteGroupBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/ai/scoring/abtest").WithTags("Experiments");
        api.MapPost("/create", CreateExperiment).DescribeBody<CreateExperimentBody>().Describe("CreateExperiment", "Start an A/B test between model versions", 400).Authorized(Policies.Admin).Audited("experiment.create");
        api.MapGet("/", ListExperiments).Describe("ListExperiments", "List A/B tests").Authorized(Policies.Read);
        api.MapGet("/{experimentId}", GetExperiment).Describe("GetExperiment", "An A/B test's report: variants, lift, significance and verdict", 404).Authorized(Policies.Read);
        api.MapPost("/{experimentId}/stop", StopExperiment).DescribeBody<StopExperimentBody>().Describe("StopExperiment", "Stop an A/B test, promoting its winner when asked", 400, 404).Authorized(Policies.Admin).Audited("experiment.stop");
        return api;
    }

    public static async Task<Results<Created<ExperimentEnvelope<ExperimentRecord>>, Ok<ExperimentEnvelope<ExperimentRecord>>, ValidationProblem, ProblemHttpResult>> CreateExperiment(
        HttpRequest request, IClusterClient cluster, RequestLimitOptions limits)
    {
        var body = await JsonBody.ParseAsync(request, limits.MaxBodyBytes, ExperimentRequests.ParseCreate);
        if (body.Command is not { } definition)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        if (!LeadKey.IsValidLeadId(definition.ExperimentId))
        {
            return Problems.Invalid([new ValidationError("experiment_id", LeadKey.LeadIdRule)]);
        }

        AuditTrail.Target(request.HttpContext, $"experiment:{definition.ExperimentId}");
        var result = await Experiment(cluster, request, definition.ExperimentId).Create(definition);
        return result.Status switch
        {
            CommandStatus.Created => TypedResults.Created($"/api/ai/scoring/abtest/{definition.ExperimentId}", new ExperimentEnvelope<ExperimentRecord>(true, result.Experiment!)),
            CommandStatus.Ok => TypedResults.Ok(new ExperimentEnvelope<ExperimentRecord>(true, result.Experiment!)),
            _ => Problems.Invalid(result.Errors),
        };
    }

    public static async Task<Ok<ExperimentEnvelope<ExperimentListResponse>>> ListExperiments(HttpRequest request, IClusterClient cluster) =>
        TypedResults.Ok(new ExperimentEnvelope<ExperimentListResponse>(true, new ExperimentListResponse(
            await cluster.GetGrain<IExperimentCatalogGrain>(Workspaces.Of(request.HttpContext)).List())));

    /// <summary>The experiment's report: per variant n, conversions, rate, lift with its 95% interval, p-values, SRM, sample size still needed, verdict.</summary>
    public static async Task<Results<Ok<ExperimentEnvelope<ExperimentReport>>, ValidationProblem, ProblemHttpResult>> GetExperiment(
        string experimentId, HttpRequest request, IClusterClient cluster)
    {
        if (!LeadKey.IsValidLeadId(experimentId))
        {
            return Problems.Invalid([new ValidationError("experiment_id", LeadKey.LeadIdRule)]);
        }

        return await Experiment(cluster, request, experimentId).GetReport() is { } report
            ? TypedResults.Ok(new ExperimentEnvelope<ExperimentReport>(true, report))
            : Problems.ExperimentNotFound(experimentId);
    }

    public static async Task<Results<Ok<ExperimentEnvelope<ExperimentRecord>>, ValidationProblem, ProblemHttpResult>> StopExperiment(
        string experimentId, HttpRequest request, IClusterClient cluster, RequestLimitOptions limits)
    {
        if (!LeadKey.IsValidLeadId(experimentId))
        {
            return Problems.Invalid([new ValidationError("experiment_id", LeadKey.LeadIdRule)]);
        }

        var stop = new StopRequest(false);
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var body = await JsonBody.ParseAsync(request, limits.MaxBodyBytes, ExperimentRequests.ParseStop);
            if (body.Command is not { } parsed)
            {
                return body.Problem is { } problem ? problem : body.Invalid!;
            }

            stop = parsed;
        }

        var result = await Experiment(cluster, request, experimentId).Stop(stop.PromoteWinner);
        return result.Status switch
        {
            CommandStatus.Ok => TypedResults.Ok(new ExperimentEnvelope<ExperimentRecord>(true, result.Experiment!)),
            CommandStatus.NotFound => Problems.ExperimentNotFound(experimentId),
            _ => Problems.Invalid(result.Errors),
        };
    }

    private static IExperimentGrain Experiment(IClusterClient cluster, HttpRequest request, string experimentId) =>
        cluster.GetGrain<IExperimentGrain>(WorkspaceKey.Format(Workspaces.Of(request.HttpContext), experimentId));
}
