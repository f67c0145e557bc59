namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// What the OpenAPI document says of each operation: its id in the domain's words (what a generated client names
/// its method), a one-line summary, and the problem statuses it answers. Statuses every /api operation can answer
/// come from <see cref="ProducesApiProblems"/> and <see cref="Authorized"/>.
/// </summary>
public static class OperationDocs
{
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string operationId, string summary, params int[] problems)
    {
        endpoint.WithName(operationId).WithSummary(summary);
        foreach (var status in problems)
        {
            endpoint.ProducesProblem(status);
        }

        return endpoint;
    }

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
