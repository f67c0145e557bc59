namespace LeadScoring.Grains.Leads;

/// <summary>
/// The activity ids a lead has accepted (as <see cref="ActivityIdHash"/>es), so that a retried activity is not
/// counted twice. The state carries only the ids of the chunk being filled (<see cref="LeadState.SeenActivityIdHashes"/>);
/// every <see cref="LeadLimits.ActivityIdChunk"/> ids become a chunk that the next write stores once beside the
/// state, and a lead keeps its newest <see cref="LeadLimits.StoredActivityIdChunks"/> chunks, so it remembers at
/// least <see cref="LeadLimits.RememberedActivityIds"/>. Kept in the state, every id would be rewritten with every change.
/// </summary>
public sealed class RememberedActivityIds
{
    private readonly LeadState _state;
    private readonly HashSet<long> _seen;
    private readonly List<long> _filling;

    // The chunks stored or about to be, oldest first, so that the oldest are forgotten in order, and
    // those to store. Null until the lead has a chunk: most leads never fill one, and a silo holds many leads.
    private Queue<long[]>? _chunks;
    private List<ActivityIdChunk>? _unstored;
    private int _forgetBelow;

    /// <param name="state">The lead's state, whose list of ids and chunk count this keeps up to date.</param>
    /// <param name="storedChunks">The lead's stored chunks, oldest first.</param>
    public RememberedActivityIds(LeadState state, IReadOnlyList<long[]> storedChunks)
    {
        _state = state;
        _filling = state.SeenActivityIdHashes ??= [];
        _seen = [.. _filling];
        foreach (var chunk in storedChunks)
        {
            (_chunks ??= new()).Enqueue(chunk);
            _seen.UnionWith(chunk);
        }
    }

    /// <summary>Remembers the id; false when it already was (a retry).</summary>
    public bool Add(long idHash)
    {
        if (!_seen.Add(idHash))
        {
            return false;
        }

        _filling.Add(idHash);
        CutFullChunks();
        return true;
    }

    /// <summary>
    /// The chunks filled since the last call, which the next write stores, and the number below which the
    /// lead's stored chunks are forgotten (0 for none).
    /// </summary>
    public (IReadOnlyList<ActivityIdChunk> Chunks, int ForgetBelow) TakeUnstored()
    {
        if (_unstored is not { Count: > 0 } unstored)
        {
            return ([], 0);
        }

        var taken = (unstored.ToArray(), _forgetBelow);
        unstored.Clear();
        return taken;
    }

    private void CutFullChunks()
    {
        while (_filling.Count >= LeadLimits.ActivityIdChunk)
        {
            var hashes = _filling.GetRange(0, LeadLimits.ActivityIdChunk).ToArray();
            _filling.RemoveRange(0, LeadLimits.ActivityIdChunk);
            (_unstored ??= []).Add(new ActivityIdChunk(_state.ActivityIdChunks++, hashes));
            (_chunks ??= new()).Enqueue(hashes);
            while (_chunks.Count > LeadLimits.StoredActivityIdChunks)
            {
                _seen.ExceptWith(_chunks.Dequeue());
                _forgetBelow = _state.ActivityIdChunks - LeadLimits.StoredActivityIdChunks;
            }
        }
    }
}

/// <summary>A chunk of a lead's remembered activity ids: its number among the lead's chunks (from 0) and the hashes, oldest first.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ActivityIdChunk")]
public sealed record ActivityIdChunk([property: Id(0)] int Number, [property: Id(1)] long[] Hashes);
