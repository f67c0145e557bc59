using Orleans.Runtime;

namespace LeadScoring.Grains.Interfaces;

public static class ClusterFailures
{
    /// <summary>
    /// Whether the exception, or one it wraps, says the cluster could not serve now: the database unavailable to a
    /// grain, a silo gone or too busy, or a call that timed out. Such a call may be made again.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StorageUnavailableException or TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
                or GatewayTooBusyException)
            {
                return true;
            }
        }

        return false;
    }
}
