using LeadScoring.Api.Model;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// 400 for a query string or route value that is not acceptable text (<see cref="RequestText"/>), before anything
/// else of the request runs: bad input is refused as such even while the cluster or the database is away.
/// </summary>
public sealed class RefusesHostileText : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (request.QueryString.HasValue || request.RouteValues.Count > 0)
        {
            var errors = RequestText.Check(request);
            if (errors.Count > 0)
            {
                return ValueTask.FromResult<object?>(Problems.Invalid(errors));
            }
        }

        return next(context);
    }
}
