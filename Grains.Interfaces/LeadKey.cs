namespace LeadScoring.Grains.Interfaces;

/// <summary>What a lead id may be. Lead grains are keyed by <see cref="WorkspaceKey"/>.</summary>
public static class LeadKey
{
    /// <summary>Longest lead id accepted.</summary>
    public const int MaxLeadIdLength = 128;

    public const string LeadIdRule = "must be 1-128 characters of letters, digits, '.', '_', '-', ':' or '@'";

    /// <summary>Lead ids are 1-128 characters of letters, digits and . _ - : @ so that they are safe in a URL path.</summary>
    public static bool IsValidLeadId(string? leadId) =>
        !string.IsNullOrEmpty(leadId)
        && leadId.Length <= MaxLeadIdLength
        && leadId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '@');
}
