using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime.Messaging;

namespace LeadScoring.Api.Infrastructure;

public static class ErrorHandling
{
    /// <summary>
    /// Every failure leaves as problem+json. A cluster or database that cannot be reached now is 503 with
    /// Retry-After (nothing was acknowledged; the request may be retried); anything else unexpected is a bug:
    /// 500 without internals.
    /// </summary>
    public static WebApplication UseLeadScoringErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            IResult problem = exception switch
            {
                BadHttpRequestException bad => TypedResults.Problem(title: "Bad request", detail: bad.Message, statusCode: bad.StatusCode),
                InvalidDataException malformed => Problems.BadRequest("Malformed form data", malformed.Message),
                _ when exception is not null && IsUnavailable(exception) => Problems.Unavailable(
                    context, "The scoring cluster is unavailable", "The cluster or its database cannot be reached now; nothing was stored. Retry shortly."),
                _ => TypedResults.Problem(title: "Unexpected error", statusCode: StatusCodes.Status500InternalServerError),
            };
            await problem.ExecuteAsync(context);
        }));
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// Whether the exception, or one it wraps, says a dependency could not serve now: a silo or gateway gone or
    /// too busy, a call that timed out, the client's connection lost, or PostgreSQL unavailable (in a grain, or
    /// to the API's own audit log).
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        if (ClusterFailures.IsUnavailable(exception) || PostgresFailures.IsUnavailable(exception))
        {
            return true;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ConnectionFailedException or ClientNotAvailableException or ConnectionResetException or ConnectionAbortedException)
            {
                return true;
            }
        }

        return false;
    }
}
