namespace LeadScoring.Api.Options;

/// <summary>
/// Configuration section "LeadScoring:ScoreResponseCache": how many leads' score JSON an API process keeps for the
/// next reads of the same lead (rounded up to a power of two; 0 turns the cache off).
/// </summary>
public sealed class ScoreResponseCacheOptions
{
    public const string SectionName = "LeadScoring:ScoreResponseCache";

    /// <summary>The most a process may ask for: about 2.5 KB a slot when full, so some 10 GiB.</summary>
    public const int MaximumEntries = 1 << 22;

    public int Entries { get; set; } = 16_384;
}
