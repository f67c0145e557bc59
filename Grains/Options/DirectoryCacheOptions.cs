namespace LeadScoring.Grains.Options;

/// <summary>
/// Configuration section "LeadScoring:Cluster": the entries of a silo's Orleans directory cache. Each holds where
/// a grain was placed or where another silo said it is, and saves a directory call to another silo; Orleans' own
/// default is sized for far more grains than a silo of leads looks up (docs/performance.md, "Memory per lead").
/// </summary>
public sealed class DirectoryCacheOptions
{
    public const string SectionName = "LeadScoring:Cluster";

    public int DirectoryCacheSize { get; set; } = 100_000;
}
