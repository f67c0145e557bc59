namespace LeadScoring.Grains.Leads;

/// <summary>Bounds on what one lead holds and accepts, so that one noisy lead cannot exhaust a silo.</summary>
public static class LeadLimits
{
    public const int MaxAttributes = 200;
    public const int MaxTextLength = 1000;
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 200;
    public const int MaxPhoneLength = 40;
    public const int MaxActivitiesPerCall = 1000;
    public const int MaxActivityIdLength = 128;
    public const int MaxUrlLength = 2048;
    public const int MaxChannelLength = 64;
    public const int MaxContentIdLength = 256;
    public const double MaxDurationSeconds = 24 * 3600;
    /// <summary>Recent activities a lead keeps (newest by occurrence), in memory and as rows of their own in storage.</summary>
    public const int RecentActivities = 100;

    /// <summary>
    /// How many activity rows the store may hold for a lead before all but the newest
    /// <see cref="RecentActivities"/> are deleted in one statement (see <see cref="StoredRows"/>).
    /// </summary>
    public const int StoredRecentActivities = 2 * RecentActivities;
    /// <summary>Activity ids a lead remembers at least (as hashes), so that a retried activity is not counted twice.</summary>
    public const int RememberedActivityIds = 10_000;

    /// <summary>
    /// With a storage that keeps remembered ids in chunks of their own (PostgreSQL's lead_activity_ids), the ids
    /// per chunk: the state carries fewer than this many, and each chunk is written once. Small, because the
    /// state's share is rewritten with every change, and larger chunks made that share a large part of the WAL
    /// PostgreSQL wrote per activity (docs/performance.md, "Persistence").
    /// </summary>
    public const int ActivityIdChunk = 32;

    /// <summary>Full chunks a lead keeps: enough for <see cref="RememberedActivityIds"/> without the chunk being filled.</summary>
    public const int StoredActivityIdChunks = (RememberedActivityIds + ActivityIdChunk - 1) / ActivityIdChunk;

    /// <summary>Score history entries kept per lead: what its history shows and its export holds at least.</summary>
    public const int ScoreHistory = 100;

    /// <summary>
    /// How many entries the store may hold for a lead before the oldest are deleted, down to
    /// <see cref="ScoreHistory"/>, in one statement. Deleting the oldest entry with every append cost PostgreSQL
    /// an index scan and a delete per score, most of its CPU per activity once leads had full histories
    /// (docs/performance.md, "Figures behind the code").
    /// </summary>
    public const int StoredScoreHistory = 2 * ScoreHistory;

    /// <summary>Clocks drift: an event may claim to be this far in the future before it is refused.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Events before this are taken for a broken client clock.</summary>
    public static readonly DateTimeOffset EarliestEvent = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
