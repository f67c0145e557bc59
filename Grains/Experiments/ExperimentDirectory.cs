using System.Collections.Concurrent;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Experiments;

/// <summary>
/// The silo's view of the experiments its leads are scored in: each is read from the store at most once per
/// <see cref="Refresh"/>, so scoring in an experiment costs no call to the experiment grain. A create or a stop
/// makes every silo forget its entry at once (<see cref="Scoring.ScoringCaches"/>); a silo that could not be told
/// keeps routing by the definition it knew until the entry expires.
/// </summary>
public sealed class ExperimentDirectory(IExperimentStore experiments, TimeProvider clock)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Workspace, string Id), (Task<ExperimentRecord?> Record, long ReadAt)> _known = new();

    public async ValueTask<ExperimentRecord?> GetAsync(string workspace, string experimentId)
    {
        var now = clock.GetTimestamp();
        if (_known.TryGetValue((workspace, experimentId), out var known)
            && (!known.Record.IsCompleted || (known.Record.IsCompletedSuccessfully && clock.GetElapsedTime(known.ReadAt, now) < Refresh)))
        {
            return await known.Record;
        }

        var read = experiments.GetAsync(workspace, experimentId);
        _known[(workspace, experimentId)] = (read, now);
        return await read;
    }

    public void Forget(string workspace, string experimentId) => _known.TryRemove((workspace, experimentId), out _);
}
