using Microsoft.Extensions.Hosting;

namespace LeadScoring.Samples.OrleansClientService;

/// <summary>Runs one sync once the Orleans client is connected, then stops the service.</summary>
public sealed class LeadSyncWorker(LeadSync sync, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sync.RunAsync(Console.Out, stoppingToken);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
