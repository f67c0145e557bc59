using System.Security.Claims;
using LeadScoring.Common;

namespace LeadScoring.Web.Sessions;

/// <summary>Who is using the web app: the subject, workspace and role of their session, as its cookie carries them.</summary>
public sealed record SignedInUser(string Subject, string Workspace, string Role)
{
    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>Personal data is shown in full to admins only, as in the API.</summary>
    public bool SeesPersonalData => IsAdmin;

    /// <summary>The user of a session principal; null when it lacks a claim (a session from before a claim was required).</summary>
    public static SignedInUser? From(ClaimsPrincipal principal) =>
        principal.FindFirst(TokenClaims.Subject)?.Value is { Length: > 0 } subject
        && principal.FindFirst(TokenClaims.Workspace)?.Value is { Length: > 0 } workspace
        && principal.FindFirst(TokenClaims.Role)?.Value is { } role && Roles.All.Contains(role)
            ? new SignedInUser(subject, workspace, role)
            : null;
}
