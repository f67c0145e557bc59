using System.Collections.Concurrent;
using LeadScoring.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Grains.Drift;

/// <summary>
/// The workspaces with a drift pre-aggregator on this silo. When the silo stops, each is flushed first, while the
/// cluster still takes calls: flushed only as its grains are deactivated, the counts met a cluster already
/// leaving, the flush failed with errors in the log and that window's drift counts were lost.
/// </summary>
public sealed partial class LocalDriftAggregators(IGrainFactory grains, ILogger<LocalDriftAggregators> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ConcurrentDictionary<string, byte> _workspaces = new(StringComparer.Ordinal);

    public void Add(string workspace) => _workspaces.TryAdd(workspace, 0);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LocalDriftAggregators), ServiceLifecycleStage.Active, _ => Task.CompletedTask, FlushAll);

    private async Task FlushAll(CancellationToken cancellationToken)
    {
        // A stateless worker called from its own silo is the local activation: the one holding the counts.
        await Task.WhenAll(_workspaces.Keys.Select(async workspace =>
        {
            try
            {
                await grains.GetGrain<IDriftAggregatorGrain>(workspace).Flush().WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFlushFailed(e, workspace);
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The drift counts of workspace {Workspace} could not be flushed as the silo stopped")]
    private partial void LogFlushFailed(Exception e, string workspace);
}
