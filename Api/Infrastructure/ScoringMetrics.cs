namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// What this API process measured of its scoring requests since it started: counts, cache hits reported by
/// the leads, and response times in a log-bucketed histogram (about 2% resolution) for the percentiles.
/// Lock-free: every request records with a few interlocked increments.
/// </summary>
public sealed class ScoringMetrics
{
    // Bucket i holds response times t with floor(ln(1 + t in µs) × Resolution) = i.
    private const double Resolution = 50;
    private const int Buckets = 1000;

    private readonly long[] _histogram = new long[Buckets];
    private long _requests;
    private long _errors;
    private long _totalMicroseconds;
    private long _scores;
    private long _cacheHits;

    public void RecordRequest(TimeSpan elapsed, bool failed)
    {
        var microseconds = Math.Max(0, (long)elapsed.TotalMicroseconds);
        Interlocked.Increment(ref _histogram[Math.Min(Buckets - 1, (int)(Math.Log(1 + microseconds) * Resolution))]);
        Interlocked.Add(ref _totalMicroseconds, microseconds);
        Interlocked.Increment(ref _requests);
        if (failed)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    /// <summary>Leads scored (a batch records each of its leads).</summary>
    public void RecordScores(int scores, int cacheHits)
    {
        Interlocked.Add(ref _scores, scores);
        Interlocked.Add(ref _cacheHits, cacheHits);
    }

    public Snapshot Read()
    {
        var requests = Interlocked.Read(ref _requests);
        var scores = Interlocked.Read(ref _scores);
        var counts = (long[])_histogram.Clone();
        return new Snapshot(
            scores,
            requests,
            requests == 0 ? 0 : Interlocked.Read(ref _totalMicroseconds) / 1000.0 / requests,
            Percentile(counts, 0.50),
            Percentile(counts, 0.95),
            Percentile(counts, 0.99),
            scores == 0 ? 0 : Interlocked.Read(ref _cacheHits) / (double)scores,
            requests == 0 ? 0 : Interlocked.Read(ref _errors) / (double)requests);
    }

    /// <summary>The upper edge (ms) of the bucket holding the <paramref name="quantile"/>-th response time.</summary>
    private static double Percentile(long[] counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Round((Math.Exp((i + 1) / Resolution) - 1) / 1000, 3);
            }
        }

        return 0;
    }

    public sealed record Snapshot(long TotalScores, long TotalRequests, double AverageMs, double P50Ms, double P95Ms, double P99Ms, double CacheHitRate, double ErrorRate);
}

/// <summary>Times every scoring request; a 5xx answer or an exception counts as an error.</summary>
public sealed class MeasuredScoring(ScoringMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var result = await next(context);
            failed = result is IStatusCodeHttpResult { StatusCode: >= 500 };
            return result;
        }
        finally
        {
            metrics.RecordRequest(System.Diagnostics.Stopwatch.GetElapsedTime(started), failed);
        }
    }
}
