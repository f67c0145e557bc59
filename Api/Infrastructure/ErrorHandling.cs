using Microsoft.AspNetCore.Diagnostics;

namespace LeadScoring.Api.Infrastructure;

public static class ErrorHandling
{
    /// <summary>
    /// Every failure leaves as problem+json. A cluster that cannot be reached is 503 with Retry-After (the
    /// request may be retried); anything else unexpected is 500 without internals.
    /// </summary>
    public static WebApplication UseLeadScoringErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, title) = exception switch
            {
                BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
                InvalidDataException => (StatusCodes.Status400BadRequest, "Malformed form data"),
                TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException
                    or Npgsql.NpgsqlException
                    => (StatusCodes.Status503ServiceUnavailable, "The scoring cluster is unavailable"),
                _ => (StatusCodes.Status500InternalServerError, "Unexpected error"),
            };
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "2";
            }

            await Results.Problem(title: title, statusCode: status, detail: status < 500 ? exception?.Message : null)
                .ExecuteAsync(context);
        }));
        app.UseStatusCodePages();
        return app;
    }
}
