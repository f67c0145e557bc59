namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// The API may start before any silo (or outlive them all): keep trying to reach the cluster instead of
/// exiting, while /health/ready reports that it is not ready.
/// </summary>
internal sealed class RetryUntilClusterIsReachable(ILogger<RetryUntilClusterIsReachable> logger) : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        logger.LogWarning("The cluster is not reachable yet ({Reason}); retrying in 2 s.", exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }
}
