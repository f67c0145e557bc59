using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace LeadScoring.Api.Infrastructure;

/// <summary>One token bucket: a burst of <see cref="Burst"/> requests, refilled at <see cref="PerSecond"/> a second.</summary>
public sealed class TokenBucket
{
    public int PerSecond { get; set; }

    public int Burst { get; set; }
}

/// <summary>Configuration section "LeadScoring:RateLimits": a bucket per token subject and one per workspace.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "LeadScoring:RateLimits";

    public TokenBucket PerSubject { get; set; } = new() { PerSecond = 2_000, Burst = 4_000 };

    public TokenBucket PerWorkspace { get; set; } = new() { PerSecond = 10_000, Burst = 20_000 };
}

public static class RateLimits
{
    /// <summary>
    /// Every authenticated request takes a token from its subject's bucket and from its workspace's bucket; when
    /// either is empty the answer is 429 problem+json with Retry-After. One client cannot starve its workspace's
    /// other clients, and one workspace cannot starve the others.
    /// </summary>
    public static WebApplicationBuilder AddLeadScoringRateLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Bucket(options.PerSubject, caller => caller.RateLimitKey),
                Bucket(options.PerWorkspace, caller => caller.Workspace));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                    title: "Too many requests",
                    detail: $"The rate limit of this token's subject or workspace is reached; retry after {retryAfter} s.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    private static PartitionedRateLimiter<HttpContext> Bucket(TokenBucket bucket, Func<CallerPrincipal, string> partition)
    {
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = bucket.Burst,
            TokensPerPeriod = bucket.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        Func<string, TokenBucketRateLimiterOptions> optionsOf = _ => options;
        return PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.User is CallerPrincipal caller
                ? RateLimitPartition.GetTokenBucketLimiter(partition(caller), optionsOf)
                : RateLimitPartition.GetNoLimiter(""));
    }
}
