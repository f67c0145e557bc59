using System.Collections.Concurrent;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Options;
using LeadScoring.Modeling.Scoring;
using Microsoft.Extensions.Options;

namespace LeadScoring.Grains.Scoring;

/// <summary>
/// The silo's models: each version is loaded from the registry once per silo and shared by every lead grain
/// (a <see cref="ChampionModel"/> is immutable and scores from any thread). Which version is a workspace's
/// champion is asked of the registry at most once per <see cref="ScoringOptions.ChampionRefresh"/>. A promotion or
/// rollback through the cluster makes every silo forget it at once (<see cref="ScoringCaches"/>); one made outside
/// the cluster (the command line) is seen within that interval.
/// </summary>
public sealed class ModelCache(IModelRegistry registry, IOptions<ScoringOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ChampionLookup> _champions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Workspace, string Version), Lazy<Task<ChampionModel?>>> _models = new();
    private long _loads;

    /// <summary>How many model versions this silo has loaded from the registry.</summary>
    public long Loads => Interlocked.Read(ref _loads);

    /// <summary>The workspace's champion, or null when it has none.</summary>
    public ValueTask<ChampionModel?> ChampionAsync(string workspace)
    {
        var now = clock.GetTimestamp();
        _champions.TryGetValue(workspace, out var lookup);
        if (lookup is not null)
        {
            var model = lookup.Model.Value;
            if (model.IsCompletedSuccessfully && clock.GetElapsedTime(lookup.CheckedAt, now) < options.Value.ChampionRefresh)
            {
                return new ValueTask<ChampionModel?>(model.Result);
            }

            if (!model.IsCompleted)
            {
                // Someone is already asking the registry: share the answer instead of asking again.
                return new ValueTask<ChampionModel?>(model);
            }
        }

        var previous = lookup?.Model.Value is { IsCompletedSuccessfully: true } known ? known.Result : null;
        var refresh = new ChampionLookup(new Lazy<Task<ChampionModel?>>(() => Resolve(workspace, previous)), now);
        var current = lookup is null ? _champions.GetOrAdd(workspace, refresh)
            : _champions.TryUpdate(workspace, refresh, lookup) ? refresh
            : _champions.GetValueOrDefault(workspace) ?? refresh;
        return new ValueTask<ChampionModel?>(current.Model.Value);
    }

    /// <summary>A given version of the workspace's models (an experiment's variant), or null when there is none.</summary>
    public Task<ChampionModel?> VersionAsync(string workspace, string version) => Load(workspace, version);

    /// <summary>Forgets the workspace's champion, so the next request asks the registry again (after a promotion).</summary>
    public void Forget(string workspace) => _champions.TryRemove(workspace, out _);

    /// <summary>Asks the registry; while it cannot answer, the champion this silo knew keeps scoring.</summary>
    private async Task<ChampionModel?> Resolve(string workspace, ChampionModel? previous)
    {
        try
        {
            var version = await registry.ChampionAsync(workspace);
            return version is null ? null : await Load(workspace, version);
        }
        catch when (previous is not null)
        {
            return previous;
        }
    }

    private Task<ChampionModel?> Load(string workspace, string version)
    {
        var lazy = _models.GetOrAdd((workspace, version), key => new Lazy<Task<ChampionModel?>>(async () =>
        {
            var found = await registry.GetAsync(key.Workspace, key.Version);
            Interlocked.Increment(ref _loads);
            return found is { } entry ? ChampionModel.Load(key.Version, entry.Artifact) : null;
        }));
        var task = lazy.Value;
        // A failed load (say, the database was briefly away) must not stick: the next request tries again.
        if (task.IsFaulted)
        {
            _models.TryRemove(new KeyValuePair<(string, string), Lazy<Task<ChampionModel?>>>((workspace, version), lazy));
        }

        return task;
    }

    private sealed record ChampionLookup(Lazy<Task<ChampionModel?>> Model, long CheckedAt);
}
