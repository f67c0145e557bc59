namespace LeadScoring.Grains.Interfaces;

/// <summary>Lead grain keys are "{workspace}/{lead_id}" so that every lead is scoped to its workspace.</summary>
public static class LeadKey
{
    public const string DefaultWorkspace = "default";

    /// <summary>Longest lead id accepted.</summary>
    public const int MaxLeadIdLength = 128;

    public static string Format(string workspace, string leadId) => $"{workspace}/{leadId}";

    public static (string Workspace, string LeadId) Parse(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"Lead key '{key}' is not of the form workspace/lead_id.", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }

    public const string LeadIdRule = "must be 1-128 characters of letters, digits, '.', '_', '-', ':' or '@'";

    /// <summary>Lead ids are 1-128 characters of letters, digits and . _ - : @ so that they are safe in a URL path.</summary>
    public static bool IsValidLeadId(string? leadId) =>
        !string.IsNullOrEmpty(leadId)
        && leadId.Length <= MaxLeadIdLength
        && leadId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '@');
}
