using LeadScoring.Grains.Leads;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Tests;

[Trait("Category", "Unit")]
public class ActivityIdHashTests
{
    [Fact]
    public void Is_fnv1a_over_the_utf16_code_units_so_stored_hashes_stay_valid_across_processes()
    {
        // FNV-1a 64 of no bytes is its offset basis; of the bytes 0x61 0x00 ("a" as UTF-16LE) it is computed here.
        const ulong basis = 14695981039346656037, prime = 1099511628211;
        var a = unchecked(((basis ^ 0x61) * prime ^ 0x00) * prime);

        Assert.Equal(unchecked((long)basis), ActivityIdHash.Of(""));
        Assert.Equal(unchecked((long)a), ActivityIdHash.Of("a"));
        Assert.Equal(ActivityIdHash.Of("evt-Ω-1"), ActivityIdHash.Of(new string("evt-Ω-1".ToCharArray())));
    }

    [Fact]
    public void Distinct_ids_of_the_shapes_clients_send_get_distinct_hashes()
    {
        var ids = Enumerable.Range(0, 100_000).SelectMany(i => new[] { $"evt-{i}", $"{Guid.NewGuid()}", $"EVT-{i}", $"evt-{i} " });

        var hashes = ids.Select(ActivityIdHash.Of).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }
}
