namespace LeadScoring.Api.Options;

/// <summary>
/// Configuration section "LeadScoring:UnavailableRetry": how long the API retries a call that is safe to repeat (a
/// read, an upsert, activities that all carry ids, a score batch) while the cluster or its database is unavailable,
/// before it answers 503. A short outage then shows as latency rather than failures.
/// </summary>
public sealed class UnavailableRetryOptions
{
    public const string SectionName = "LeadScoring:UnavailableRetry";

    /// <summary>The longest a request goes on retrying after its first failure; zero turns retrying off.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many requests of one API process may wait to retry at once; beyond that a failure is answered 503 at
    /// once, so an outage under heavy load does not pile up requests and their memory without bound.
    /// </summary>
    public int MaxWaitingRequests { get; set; } = 512;
}
