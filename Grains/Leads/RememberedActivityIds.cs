namespace LeadScoring.Grains.Leads;

/// <summary>
/// The activity ids a lead has accepted (as <see cref="ActivityIdHash"/>es), so that a retried activity is not
/// counted twice. With a storage that keeps them in chunks of their own (<paramref name="chunked"/>), the state
/// carries only the ids of the chunk being filled (<see cref="LeadState.SeenActivityIdHashes"/>); every
/// <see cref="LeadLimits.ActivityIdChunk"/> ids become a chunk that the next write stores once, and a lead keeps
/// its newest <see cref="LeadLimits.StoredActivityIdChunks"/> chunks. Otherwise the state carries them all, the
/// newest <see cref="LeadLimits.RememberedActivityIds"/>. Either way a lead remembers at least that many.
/// </summary>
/// <remarks>
/// In the state, every id was rewritten with every change: about 9 bytes an id, so a lead at the 10,000 it
/// remembers wrote about 90 KB of state per activity.
/// </remarks>
public sealed class RememberedActivityIds
{
    private readonly LeadState _state;
    private readonly bool _chunked;
    private readonly HashSet<long> _seen;
    private readonly List<long> _filling;

    // Chunked: the chunks stored or about to be, oldest first, so that the oldest are forgotten in order, and
    // those to store. Null until the lead has a chunk: most leads never fill one, and a silo holds many leads.
    private Queue<long[]>? _chunks;
    private List<ActivityIdChunk>? _unstored;
    private int _forgetBelow;

    /// <param name="state">The lead's state, whose list of ids (and, chunked, its chunk count) this keeps up to date.</param>
    /// <param name="storedChunks">Chunked: the lead's stored chunks, oldest first.</param>
    public RememberedActivityIds(LeadState state, bool chunked, IReadOnlyList<long[]> storedChunks)
    {
        _state = state;
        _chunked = chunked;
        _filling = state.SeenActivityIdHashes ??= [];
        _seen = [.. _filling];
        foreach (var chunk in storedChunks)
        {
            (_chunks ??= new()).Enqueue(chunk);
            _seen.UnionWith(chunk);
        }

        // A state written before the chunks carries all its ids: they go into chunks with the next write.
        CutFullChunks();
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
    /// lead's stored chunks are forgotten (0 for none); both empty when the lead's storage does not chunk.
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
        if (!_chunked)
        {
            if (_filling.Count > LeadLimits.RememberedActivityIds)
            {
                var excess = _filling.Count - LeadLimits.RememberedActivityIds;
                _seen.ExceptWith(_filling.Take(excess));
                _filling.RemoveRange(0, excess);
            }

            return;
        }

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
public sealed record ActivityIdChunk(int Number, long[] Hashes);
