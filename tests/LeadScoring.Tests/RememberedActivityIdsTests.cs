using LeadScoring.Grains.Leads;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Tests;

[Trait("Category", "Unit")]
public class RememberedActivityIdsTests
{
    private const int Chunk = LeadLimits.ActivityIdChunk;
    private const int Rest = Chunk / 2 + 3;

    [Fact]
    public void Ids_leave_the_state_in_chunks_written_once_and_stay_remembered()
    {
        var state = new LeadState();
        var remembered = new RememberedActivityIds(state, []);

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
        var reloaded = new RememberedActivityIds(state, [.. chunks.Select(c => c.Hashes)]);
        Assert.False(reloaded.Add(5));
        Assert.False(reloaded.Add(2 * Chunk + 1));
        Assert.True(reloaded.Add(-1));
        Assert.Empty(reloaded.TakeUnstored().Chunks);
    }

    [Fact]
    public void Ids_beyond_the_kept_chunks_forget_the_oldest_chunk_and_never_fewer_than_the_remembered_count()
    {
        var state = new LeadState();
        var remembered = new RememberedActivityIds(state, []);
        var total = (LeadLimits.StoredActivityIdChunks + 1) * Chunk;

        Assert.All(Enumerable.Range(0, total), i => Assert.True(remembered.Add(i)));
        var (chunks, forgetBelow) = remembered.TakeUnstored();

        Assert.Equal(LeadLimits.StoredActivityIdChunks + 1, chunks.Count);
        Assert.Equal(1, forgetBelow);
        Assert.True(remembered.Add(0));
        Assert.False(remembered.Add(Chunk));
        Assert.True(LeadLimits.StoredActivityIdChunks * Chunk >= LeadLimits.RememberedActivityIds);
    }
}
