using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using LeadScoring.Api.Options;
using Microsoft.Extensions.Options;

namespace LeadScoring.Api.Infrastructure;

public static class RateLimits
{
    /// <summary>
    /// Every authenticated request takes a token from its subject's bucket and from its workspace's bucket; when
    /// either is empty the answer is 429 problem+json with Retry-After. One client cannot starve its workspace's
    /// other clients, and one workspace cannot starve the others.
    /// </summary>
    public static WebApplicationBuilder AddLeadScoringRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<RateLimitOptions, TimeProvider>((limiter, options, clock) =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Bucket(options.PerSubject, caller => caller.RateLimitKey, clock),
                Bucket(options.PerWorkspace, caller => caller.Workspace, clock));
            limiter.OnRejected = (context, cancellationToken) =>
                new ValueTask(TooManyRequests(context.HttpContext, context.Lease).ExecuteAsync(context.HttpContext));
        });
        return builder;
    }

    /// <summary>
    /// A batch costs a token per item, as the same items sent one by one would: its request took one token on the
    /// way in, and once its body is read this takes the rest from the same buckets, before anything is written.
    /// A batch larger than a bucket's burst could never pass, so it is charged that burst. Null when the tokens
    /// are there; otherwise the 429 to answer.
    /// </summary>
    public static ProblemHttpResult? ChargeBatch(HttpContext context, int items)
    {
        var services = context.RequestServices;
        var buckets = services.GetRequiredService<RateLimitOptions>();
        var rest = Math.Min(items, Math.Min(buckets.PerSubject.Burst, buckets.PerWorkspace.Burst)) - 1;
        if (rest <= 0 || services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter is not { } limiter)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(context, rest);
        if (lease.IsAcquired)
        {
            return null;
        }

        // Retry-After for the batch sent again, which takes its first token on the way in too.
        using var again = limiter.AttemptAcquire(context, rest + 1);
        return TooManyRequests(context, again.IsAcquired ? lease : again);
    }

    private static ProblemHttpResult TooManyRequests(HttpContext context, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            title: "Too many requests",
            detail: $"The rate limit of this token's subject or workspace is reached; retry after {retryAfter} s.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static PartitionedRateLimiter<HttpContext> Bucket(TokenBucket bucket, Func<CallerPrincipal, string> partition, TimeProvider clock) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.User is CallerPrincipal caller
                ? RateLimitPartition.Get(partition(caller), _ => new TokenBucketLimiter(bucket.Burst, bucket.PerSecond, clock))
                : RateLimitPartition.GetNoLimiter(""));
}
