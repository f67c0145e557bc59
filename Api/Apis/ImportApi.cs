using LeadScoring.Api.Audit;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Model;
using LeadScoring.Api.Options;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadScoring.Api.Apis;

/// <summary>Importing a CRM export: every row a lead of the caller's workspace, with its outcome when labelled.</summary>
public static class ImportApi
{
    public static RouteGroupBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/leads/import").WithTags("Import");
        var uploadLimit = app.ServiceProvider.GetRequiredService<RequestLimitOptions>().MaxImportUploadBytes;
        api.MapPost("/", StartImport).Describe("StartImport", "Import a CRM export", 400, 413).WithMetadata(new RequestSizeLimitAttribute(uploadLimit)).Authorized(Policies.Write).Audited("lead.import");
        api.MapGet("/{jobId}", GetImportJob).Describe("GetImportJob", "An import's progress and the rows it refused", 404).Authorized(Policies.Read);
        return api;
    }

    /// <summary>
    /// A multipart/form-data upload: "file" (the export), "id_column", and optionally "label" with "positive",
    /// "negative", "deal_value_column" and "close_date_column", and pairs of "join" (a file) and "join_key" (the
    /// column it shares with the export), in order.
    /// 202 with the job's address once the export is read and its columns are known to be importable; 400 naming
    /// the field otherwise, and then nothing is stored.
    /// </summary>
    public static async Task<Results<Accepted<ImportJobAccepted>, ValidationProblem, ProblemHttpResult>> StartImport(
        HttpRequest request, IClusterClient cluster)
    {
        if (!MultipartForm.Is(request))
        {
            return Problems.Invalid([new("file", "upload the export as multipart/form-data with the CSV in field 'file'")]);
        }

        var (form, malformed) = await MultipartForm.ReadAsync(request);
        if (form is null)
        {
            return malformed!;
        }

        var errors = new List<ValidationError>();
        var file = MultipartForm.CheckedCsv(form, errors);

        var idColumn = MultipartForm.Field(form, "id_column");
        if (idColumn is null)
        {
            errors.Add(new("id_column", "is required: the column that holds each lead's id"));
        }

        var label = MultipartForm.Field(form, "label");
        foreach (var option in new[] { "positive", "negative" })
        {
            if (label is null && MultipartForm.Field(form, option) is not null)
            {
                errors.Add(new(option, "needs 'label', the outcome column it is a value of"));
            }
        }

        var joinFiles = form.Files.GetFiles("join");
        var joinKeys = form.TryGetValue("join_key", out var keys) ? keys.Select(k => k?.Trim() ?? "").ToList() : [];
        if (joinFiles.Count != joinKeys.Count || joinKeys.Any(k => k.Length == 0))
        {
            errors.Add(new("join_key", $"each 'join' file needs its 'join_key' (the column it shares with the export), in the same order: {joinFiles.Count} files, {joinKeys.Count(k => k.Length > 0)} keys"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var joins = new List<ImportJoin>(joinFiles.Count);
        for (var i = 0; i < joinFiles.Count; i++)
        {
            joins.Add(new ImportJoin(await MultipartForm.BytesAsync(joinFiles[i]), joinKeys[i], joinFiles[i].FileName));
        }

        var importRequest = new ImportRequest(
            await MultipartForm.BytesAsync(file!), idColumn!, label, MultipartForm.Field(form, "positive"), MultipartForm.Field(form, "negative"), joins,
            MultipartForm.Field(form, "deal_value_column"), MultipartForm.Field(form, "close_date_column"));
        var jobId = Guid.NewGuid().ToString("N");
        var start = await Job(cluster, request, jobId).Start(importRequest);
        if (start.Status is null)
        {
            return Problems.Invalid(start.Errors);
        }

        var url = $"/api/leads/import/{jobId}";
        return TypedResults.Accepted(url, new ImportJobAccepted(jobId, url));
    }

    public static async Task<Results<Ok<ImportJobResponse>, ProblemHttpResult>> GetImportJob(
        string jobId, HttpRequest request, IClusterClient cluster, UnavailableRetry retry, TimeProvider clock)
    {
        var status = Guid.TryParseExact(jobId, "N", out _) ? await retry.CallAsync(request.HttpContext, Job(cluster, request, jobId).GetStatus) : null;
        return status is null
            ? TypedResults.Problem(title: "Import job not found", detail: $"No import job '{jobId}' exists in this workspace.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ImportJobResponse.From(status, clock.GetUtcNow()));
    }

    private static IImportJobGrain Job(IClusterClient cluster, HttpRequest request, string jobId) =>
        cluster.GetGrain<IImportJobGrain>(WorkspaceKey.Format(Workspaces.Of(request.HttpContext), jobId));
}
