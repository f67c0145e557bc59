using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Api.Infrastructure;

public static class Problems
{
    public static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult LeadNotFound(string leadId) =>
        TypedResults.Problem(title: "Lead not found", detail: $"No lead '{leadId}' exists in this workspace.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult ExperimentNotFound(string experimentId) =>
        TypedResults.Problem(title: "Experiment not found", detail: $"No experiment '{experimentId}' exists in this workspace.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>413 problem+json for a batch of more <paramref name="items"/> than one call may carry.</summary>
    public static ProblemHttpResult BatchTooLarge(string items, int max, int count) =>
        TypedResults.Problem(
            title: "Batch too large",
            detail: $"A batch may carry at most {max} {items}; this one has {count}. Split it.",
            statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>
    /// 503 problem+json with Retry-After: a dependency (the cluster, PostgreSQL) is unavailable, nothing of the
    /// request is acknowledged, and the same request may be sent again after that many seconds.
    /// </summary>
    public static ProblemHttpResult Unavailable(HttpContext context, string title, string detail)
    {
        context.Response.Headers.RetryAfter = "2";
        return TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>400 problem+json whose "errors" name each invalid field with its reasons.</summary>
    public static ValidationProblem Invalid(IEnumerable<ValidationError> errors)
    {
        var byField = errors
            .GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray(), StringComparer.Ordinal);
        return TypedResults.ValidationProblem(
            byField,
            detail: $"Invalid field(s): {string.Join(", ", byField.Keys)}. Nothing was stored.",
            title: "The request is invalid");
    }
}
