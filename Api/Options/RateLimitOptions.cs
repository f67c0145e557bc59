namespace LeadScoring.Api.Options;

/// <summary>Configuration section "LeadScoring:RateLimits": a bucket per token subject and one per workspace.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "LeadScoring:RateLimits";

    public TokenBucket PerSubject { get; set; } = new() { PerSecond = 2_000, Burst = 4_000 };

    public TokenBucket PerWorkspace { get; set; } = new() { PerSecond = 10_000, Burst = 20_000 };
}

/// <summary>
/// One token bucket: a burst of <see cref="Burst"/> tokens, refilled at <see cref="PerSecond"/> a second. A request
/// takes one; a batch one per item.
/// </summary>
public sealed class TokenBucket
{
    public int PerSecond { get; set; }

    public int Burst { get; set; }
}
