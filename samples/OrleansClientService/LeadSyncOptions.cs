using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Samples.OrleansClientService;

/// <summary>What to sync, and for which workspace (section LeadSync; the first argument is the file).</summary>
public sealed class LeadSyncOptions
{
    public const string Section = "LeadSync";

    /// <summary>A JSON-lines file: one lead per line, {"lead_id", "attributes", "activities"}.</summary>
    public string InputFile { get; set; } = "";

    /// <summary>The workspace the leads belong to: part of every grain key, and carried with every call.</summary>
    public string Workspace { get; set; } = WorkspaceKey.DefaultWorkspace;
}
