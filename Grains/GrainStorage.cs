namespace LeadScoring.Grains;

/// <summary>The grain storage providers: one for the lead grains (many small writes: group-committed), one for the rest.</summary>
public static class GrainStorage
{
    /// <summary>Registry, training jobs: few writes; each grain type has its own state name inside it.</summary>
    public const string Name = "leadscoring";

    /// <summary>Memory mode's lead records (see <see cref="Storage.MemoryLeadStore"/>); PostgreSQL mode has tables of its own.</summary>
    public const string Leads = "leads";
}
