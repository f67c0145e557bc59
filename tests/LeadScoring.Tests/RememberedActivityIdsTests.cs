using LeadScoring.Grains.Leads;

namespace LeadScoring.Tests;

public class RememberedActivityIdsTests
{
    private const int Chunk = LeadLimits.ActivityIdChunk;
    private const int Rest = Chunk / 2 + 3;

    [Fact]
    public void Chunked_ids_leave_the_state_in_chunks_written_once_and_stay_remembered()
    {
        var state = new LeadState();
        var remembered = new RememberedActivityIds(state, chunked: true, []);

        Assert.All(Enumerable.Range(0, 2 * Chunk + Rest), i => Assert.True(remembered.Add(i)));
        var (chunks, forgetBelow) = remembered.TakeUnstored();

        Assert.Equal([0, 1], chunks.Select(c => c.Number));
        Assert.Equal(Enumerable.Range(0, Chunk).Select(i => (long)i), chunks[0].Hashes);
        Assert.Equal(Enumerable.Range(Chunk, Chunk).Select(i => (long)i), chunks[1].Hashes);
        Assert.Equal(0, forgetBelow);
        Assert.Equal(2, state.ActivityIdChunks);
        Assert.Equal(Enumerable.Range(2 * Chunk, Rest).Select(i => (long)i), state.SeenActivityIdHashes!);
        Assert.Empty(remembered.TakeUnstored().Chunks);
        // Retries of ids in a chunk and in the state are both refused.
        Assert.False(remembered.Add(0));
        Assert.False(remembered.Add(2 * Chunk + Rest - 1));

        // A later activation gets the chunks from storage and the rest from the state.
        var reloaded = new RememberedActivityIds(state, chunked: true, [.. chunks.Select(c => c.Hashes)]);
        Assert.False(reloaded.Add(5));
        Assert.False(reloaded.Add(2 * Chunk + 1));
        Assert.True(reloaded.Add(-1));
        Assert.Empty(reloaded.TakeUnstored().Chunks);
    }

    [Fact]
    public void Chunked_ids_beyond_the_kept_chunks_forget_the_oldest_chunk_and_never_fewer_than_the_remembered_count()
    {
        var state = new LeadState();
        var remembered = new RememberedActivityIds(state, chunked: true, []);
        var total = (LeadLimits.StoredActivityIdChunks + 1) * Chunk;

        Assert.All(Enumerable.Range(0, total), i => Assert.True(remembered.Add(i)));
        var (chunks, forgetBelow) = remembered.TakeUnstored();

        Assert.Equal(LeadLimits.StoredActivityIdChunks + 1, chunks.Count);
        Assert.Equal(1, forgetBelow);
        Assert.True(remembered.Add(0));
        Assert.False(remembered.Add(Chunk));
        Assert.True(LeadLimits.StoredActivityIdChunks * Chunk >= LeadLimits.RememberedActivityIds);
    }

    [Fact]
    public void A_state_written_before_chunks_gives_up_its_full_chunks_at_the_next_write()
    {
        var state = new LeadState { SeenActivityIdHashes = [.. Enumerable.Range(0, 1000).Select(i => (long)i)] };

        var remembered = new RememberedActivityIds(state, chunked: true, []);
        var (chunks, _) = remembered.TakeUnstored();

        Assert.Equal(1000 / Chunk, chunks.Count);
        Assert.Equal(1000 % Chunk, state.SeenActivityIdHashes.Count);
        Assert.False(remembered.Add(0));
        Assert.False(remembered.Add(999));
    }

    [Fact]
    public void Unchunked_ids_stay_in_the_state_up_to_the_remembered_count()
    {
        var state = new LeadState();
        var remembered = new RememberedActivityIds(state, chunked: false, []);

        Assert.All(Enumerable.Range(0, LeadLimits.RememberedActivityIds + 1), i => Assert.True(remembered.Add(i)));

        Assert.Empty(remembered.TakeUnstored().Chunks);
        Assert.Equal(LeadLimits.RememberedActivityIds, state.SeenActivityIdHashes!.Count);
        Assert.Equal(0, state.ActivityIdChunks);
        Assert.False(remembered.Add(1));
        Assert.True(remembered.Add(0));
    }
}
