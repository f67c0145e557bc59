namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Whether the Orleans client has connected yet. The web server starts concurrently with the client (so that
/// /health answers while the cluster is still being looked for); host start completes only once the client
/// is connected, which is when this flips.
/// </summary>
public sealed class ClusterConnection : IHostedLifecycleService
{
    private volatile bool _connected;

    public bool IsConnected => _connected;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _connected = true;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Answers 503 with Retry-After instead of calling grains before the client is connected.</summary>
public sealed class RequiresClusterConnection(ClusterConnection connection) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (connection.IsConnected)
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(Problems.Unavailable(
            context.HttpContext, "The scoring cluster is unavailable", "The API has not reached the cluster yet; retry shortly."));
    }
}
