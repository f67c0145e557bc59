namespace LeadScoring.Grains;

/// <summary>The grain storage provider every grain uses; each grain type has its own state name inside it.</summary>
public static class GrainStorage
{
    public const string Name = "leadscoring";
}
