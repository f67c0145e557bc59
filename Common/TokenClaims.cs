namespace LeadScoring.Common;

/// <summary>The claims every token carries (external identity providers must issue them too).</summary>
public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Workspace = "workspace";
    public const string Role = "role";
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Analyst = "analyst";
    public const string Ingest = "ingest";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Admin, Analyst, Ingest };
}
