using System.Text;
using LeadScoring.Api.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Kestrel answers what it refuses itself, before any of the API's code runs, with an empty body. Where it can
/// leave the verdict to the API it does, so that the answer is problem+json: header values of any bytes are read
/// (as Latin-1) and judged where they are used (a token that is not one is a 401), and a request target up to
/// 64 KB is read, so that one over <see cref="MaxRequestTarget"/> is this API's 414.
/// </summary>
public static class KestrelLimits
{
    /// <summary>The longest path and query string the API serves, in characters.</summary>
    public const int MaxRequestTarget = 8 * 1024;

    public static void Configure(KestrelServerOptions kestrel, RequestLimitOptions limits)
    {
        kestrel.Limits.MaxRequestBodySize = limits.MaxBodyBytes + 1;
        kestrel.Limits.MaxRequestLineSize = 64 * 1024;
        kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
    }

    public static WebApplication UseRequestTargetLimit(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var request = context.Request;
            if ((request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) > MaxRequestTarget)
            {
                return TypedResults.Problem(
                    title: "URI too long",
                    detail: $"The path and query string may hold at most {MaxRequestTarget} characters.",
                    statusCode: StatusCodes.Status414UriTooLong).ExecuteAsync(context);
            }

            return next(context);
        });
        return app;
    }
}
