using Microsoft.AspNetCore.Http.Metadata;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// What the OpenAPI document says of each operation: its id in the domain's words (what a generated client names
/// its method), a one-line summary, and the problem statuses it answers. Statuses every /api operation can answer
/// come from <see cref="ProducesApiProblems"/> and <see cref="Authorized"/>.
/// </summary>
public static class OperationDocs
{
    private const string Json = "application/json";
    private const string AnyContent = "*/*";

    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string operationId, string summary, params int[] problems)
    {
        endpoint.WithName(operationId).WithSummary(summary);
        foreach (var status in problems)
        {
            // A 400 names its invalid fields (errors: field -> reasons) when it has any.
            _ = status == StatusCodes.Status400BadRequest ? endpoint.ProducesValidationProblem() : endpoint.ProducesProblem(status);
        }

        return endpoint;
    }

    /// <summary>
    /// Publishes <typeparamref name="TBody"/> as the operation's JSON request body, a schema of the document's
    /// components. Documentation only: accepts metadata of application/json alone would make routing answer any
    /// other content type with a bare 415, where the endpoint's 400 names the field. So it also accepts */*,
    /// which the document leaves out.
    /// </summary>
    public static RouteHandlerBuilder DescribeBody<TBody>(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new AcceptsMetadata([Json, AnyContent], typeof(TBody)))
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody?.Content?.Remove(AnyContent);
                return Task.CompletedTask;
            });

    /// <summary>Requires <paramref name="policy"/>; a role outside it gets 403 (the score policy admits every role).</summary>
    public static TBuilder Authorized<TBuilder>(this TBuilder endpoint, string policy) where TBuilder : IEndpointConventionBuilder
    {
        endpoint.RequireAuthorization(policy);
        if (policy != Policies.Score)
        {
            endpoint.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        }

        return endpoint;
    }

    /// <summary>What any /api operation can answer: 401 without a valid token, 429 over a rate limit, 503 while a dependency is unavailable.</summary>
    public static RouteGroupBuilder ProducesApiProblems(this RouteGroupBuilder api)
    {
        foreach (var status in new[] { StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable })
        {
            api.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        }

        return api;
    }
}
