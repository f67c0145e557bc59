namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// Keys of grains that belong to a workspace (leads, training jobs) are "{workspace}/{id}", so that nothing
/// of one workspace can be addressed from another by its id alone.
/// </summary>
public static class WorkspaceKey
{
    public const string DefaultWorkspace = "default";

    public static string Format(string workspace, string id) => $"{workspace}/{id}";

    public static (string Workspace, string Id) Parse(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"Grain key '{key}' is not of the form workspace/id.", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }
}
