namespace LeadScoring.Grains.Leads;

/// <summary>
/// A stable 64-bit hash of an activity id (FNV-1a over its UTF-16 code units, the same in every process and
/// version): a lead remembers the ids it accepted by this hash, a fraction of what the id strings took
/// (docs/performance.md, "Memory per lead"). Two different ids of one lead share a hash with a chance of
/// about n²/2⁶⁵ for n remembered ids (1 in 3·10¹¹ at the 10,000 a lead remembers); the later one would then be
/// taken for a retry of the earlier and not counted.
/// </summary>
public static class ActivityIdHash
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static long Of(string activityId)
    {
        unchecked
        {
            var hash = OffsetBasis;
            foreach (var unit in activityId)
            {
                hash = (hash ^ (byte)unit) * Prime;
                hash = (hash ^ (byte)(unit >> 8)) * Prime;
            }

            return (long)hash;
        }
    }
}
