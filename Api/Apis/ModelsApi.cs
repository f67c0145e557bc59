using System.Text.Json;
using LeadScoring.Api.Audit;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Options;
using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadScoring.Api.Apis;

public static class ModelsApi
{
    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/ai/scoring").WithTags("Models");
        var uploadLimit = app.ServiceProvider.GetRequiredService<RequestLimitOptions>().MaxTrainingUploadBytes;
        api.MapPost("/model/train", StartTraining).DescribeBody<TrainFromHistoryBody>().Describe("StartTraining", "Train a model on a CSV upload or on the workspace's history", 400, 413).WithMetadata(new RequestSizeLimitAttribute(uploadLimit)).Authorized(Policies.Admin).Audited("model.train");
        api.MapGet("/model/train/{jobId}", GetTrainingJob).Describe("GetTrainingJob", "A training job's progress and report", 404).Authorized(Policies.Read);
        api.MapGet("/models", ListModels).Describe("ListModels", "The workspace's model versions and its champion").Authorized(Policies.Read);
        api.MapGet("/models/{version}", GetModel).Describe("GetModel", "A model version with its whole training report", 404).Authorized(Policies.Read);
        api.MapPost("/models/{version}/promote", Promote).Describe("PromoteModel", "Make a model version the champion", 404).Authorized(Policies.Admin).Audited("model.promote");
        api.MapPost("/models/rollback", Rollback).Describe("RollBackModel", "Bring the previous champion back", 409).Authorized(Policies.Admin).Audited("model.rollback");
        api.MapGet("/retraining", GetRetraining).Describe("GetRetraining", "Retraining's recent decisions").Authorized(Policies.Read);
        api.MapPost("/retraining", StartRetraining).Describe("StartRetraining", "Retrain now and promote the challenger if it wins").Authorized(Policies.Admin).Audited("model.retrain");
        return api;
    }

    /// <summary>Whether a retraining job is running, and the workspace's retraining decisions, newest first.</summary>
    public static async Task<Ok<RetrainingEnvelope>> GetRetraining(HttpRequest request, IClusterClient cluster, UnavailableRetry retry) =>
        TypedResults.Ok(new RetrainingEnvelope(true,
            await retry.CallAsync(request.HttpContext, cluster.GetGrain<IRetrainingGrain>(Workspaces.Of(request.HttpContext)).GetStatus)));

    /// <summary>Starts a retraining job now; 202 whether it started or one was already running (<c>started</c> says which).</summary>
    public static async Task<Accepted<RetrainingStarted>> StartRetraining(HttpRequest request, IClusterClient cluster)
    {
        var started = await cluster.GetGrain<IRetrainingGrain>(Workspaces.Of(request.HttpContext)).Start($"requested by {CallerPrincipal.Of(request.HttpContext).Subject}");
        return TypedResults.Accepted("/api/ai/scoring/retraining", new RetrainingStarted(started));
    }

    /// <summary>
    /// A multipart upload (field "file" with the CSV, and the training options as fields) or a JSON body
    /// {"source": "history"} to train on the workspace's own labelled leads.
    /// </summary>
    public static async Task<Results<Accepted<TrainingJobAccepted>, ValidationProblem, ProblemHttpResult>> StartTraining(
        HttpRequest request, IClusterClient cluster, RequestLimitOptions limits)
    {
        TrainingRequest? training;
        if (MultipartForm.Is(request))
        {
            var (form, malformed) = await MultipartForm.ReadAsync(request);
            if (form is null)
            {
                return malformed!;
            }

            var errors = new List<ValidationError>();
            var file = MultipartForm.CheckedCsv(form, errors);

            var label = MultipartForm.Field(form, "label");
            if (label is null)
            {
                errors.Add(new("label", "is required"));
            }

            var blend = MultipartForm.Field(form, "blend");
            if (blend is not (null or "fitted" or "fixed"))
            {
                errors.Add(new("blend", "must be 'fitted' or 'fixed'"));
            }

            var excludeLeaky = MultipartForm.Field(form, "exclude_leaky");
            if (excludeLeaky is not (null or "true" or "false"))
            {
                errors.Add(new("exclude_leaky", "must be true or false"));
            }

            var schema = form.Files.GetFile("schema") is { } schemaFile
                ? System.Text.Encoding.UTF8.GetString(await MultipartForm.BytesAsync(schemaFile))
                : MultipartForm.Field(form, "schema");
            if (schema is not null && !IsSchema(schema))
            {
                errors.Add(new("schema", "must be JSON of the form {\"columns\": {\"Column\": {\"type\"?, \"dimension\"?, \"source\"?, \"feature\"?}}}"));
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            training = new TrainingRequest(
                await MultipartForm.BytesAsync(file!), label, MultipartForm.Field(form, "positive"), MultipartForm.Field(form, "negative"),
                MultipartForm.Field(form, "exclude")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [],
                excludeLeaky == "true", MultipartForm.Field(form, "time_column"), MultipartForm.Field(form, "fairness_column"), blend, schema);
        }
        else
        {
            var body = await JsonBody.ParseAsync(request, limits.MaxBodyBytes, ParseHistoryRequest);
            if (body.Command is null)
            {
                return body.Problem is { } problem ? problem : body.Invalid!;
            }

            training = body.Command;
        }

        var workspace = Workspaces.Of(request.HttpContext);
        var jobId = Guid.NewGuid().ToString("N");
        await cluster.GetGrain<ITrainingJobGrain>(WorkspaceKey.Format(workspace, jobId)).Start(training);
        var url = $"/api/ai/scoring/model/train/{jobId}";
        return TypedResults.Accepted(url, new TrainingJobAccepted(jobId, url));
    }

    public static async Task<Results<Ok<TrainingJobResponse>, ProblemHttpResult>> GetTrainingJob(
        string jobId, HttpRequest request, IClusterClient cluster, UnavailableRetry retry)
    {
        var status = Guid.TryParseExact(jobId, "N", out _)
            ? await retry.CallAsync(request.HttpContext, cluster.GetGrain<ITrainingJobGrain>(WorkspaceKey.Format(Workspaces.Of(request.HttpContext), jobId)).GetStatus)
            : null;
        return status is null
            ? TypedResults.Problem(title: "Training job not found", detail: $"No training job '{jobId}' exists in this workspace.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(TrainingJobResponse.From(status));
    }

    public static async Task<Ok<ModelListResponse>> ListModels(HttpRequest request, IClusterClient cluster, UnavailableRetry retry)
    {
        var models = await retry.CallAsync(request.HttpContext, Registry(cluster, request).List);
        return TypedResults.Ok(new ModelListResponse(
            models.FirstOrDefault(m => m.IsChampion)?.Version,
            [.. models.Select(m => ModelVersionResponse.From(m, withReport: false))]));
    }

    public static async Task<Results<Ok<ModelVersionResponse>, ProblemHttpResult>> GetModel(
        string version, HttpRequest request, IClusterClient cluster, UnavailableRetry retry) =>
        await retry.CallAsync(request.HttpContext, () => Registry(cluster, request).Get(version)) is { } model
            ? TypedResults.Ok(ModelVersionResponse.From(model, withReport: true))
            : ModelNotFound(version);

    public static async Task<Results<Ok<ChampionResponse>, ProblemHttpResult>> Promote(string version, HttpRequest request, IClusterClient cluster) =>
        await Registry(cluster, request).Promote(version, "promoted through the API")
            ? TypedResults.Ok(new ChampionResponse(version))
            : ModelNotFound(version);

    public static async Task<Results<Ok<ChampionResponse>, ProblemHttpResult>> Rollback(HttpRequest request, IClusterClient cluster) =>
        await Registry(cluster, request).Rollback() is { } champion
            ? TypedResults.Ok(new ChampionResponse(champion))
            : TypedResults.Problem(title: "Nothing to roll back", detail: "This workspace has no earlier champion.", statusCode: StatusCodes.Status409Conflict);

    private static TrainingRequest? ParseHistoryRequest(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<TrainFromHistoryBody>(root, "");
        var source = fields.String(root, "", "source", required: true);
        if (source is not null and not "history")
        {
            fields.Errors.Add(new("source", "must be 'history' (or upload a CSV as multipart/form-data)"));
        }

        var blend = fields.String(root, "", "blend", required: false);
        if (blend is not (null or "fitted" or "fixed"))
        {
            fields.Errors.Add(new("blend", "must be 'fitted' or 'fixed'"));
        }

        return new TrainingRequest(null, null, null, null, [],
            fields.Boolean(root, "", "exclude_leaky", required: false) ?? false, null,
            fields.String(root, "", "fairness_column", required: false), blend);
    }

    /// <summary>Well-formed JSON with a "columns" object; what it says of each column is checked when the job reads the export.</summary>
    private static bool IsSchema(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ProblemHttpResult ModelNotFound(string version) =>
        TypedResults.Problem(title: "Model version not found", detail: $"No model version '{version}' exists in this workspace.", statusCode: StatusCodes.Status404NotFound);

    private static IModelRegistryGrain Registry(IClusterClient cluster, HttpRequest request) =>
        cluster.GetGrain<IModelRegistryGrain>(Workspaces.Of(request.HttpContext));
}
