using System.Threading.RateLimiting;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// A token bucket read from the API's <see cref="TimeProvider"/>: at most <c>burst</c> tokens, <c>perSecond</c> more
/// each second, worked out when asked rather than by a timer (the framework's bucket reads the machine's clock and
/// refills on its own timer, which a test cannot move). No queue: a request the bucket cannot serve is refused at
/// once, with the time until it could be.
/// </summary>
public sealed class TokenBucketLimiter(int burst, int perSecond, TimeProvider clock) : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null);
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private DateTimeOffset _refilledAt = clock.GetUtcNow();
    private DateTimeOffset _lastTaken = clock.GetUtcNow();
    private long _granted;
    private long _refused;

    /// <summary>How long the bucket has been full and unused (a full bucket can be dropped and made again), or null.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                var now = Refill();
                return _tokens >= burst ? now - _lastTaken : null;
            }
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = (long)_tokens,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _granted,
                TotalFailedLeases = _refused,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            var now = Refill();
            if (permitCount <= _tokens)
            {
                _tokens -= permitCount;
                _lastTaken = now;
                _granted++;
                return Granted;
            }

            _refused++;
            var missing = Math.Min(permitCount, burst) - _tokens;
            return new Lease(false, TimeSpan.FromSeconds(missing / perSecond));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private DateTimeOffset Refill()
    {
        var now = clock.GetUtcNow();
        // A clock set back (NTP) adds nothing rather than taking tokens away.
        var elapsed = Math.Max(0, (now - _refilledAt).TotalSeconds);
        _tokens = Math.Min(burst, _tokens + elapsed * perSecond);
        _refilledAt = now;
        return now;
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
