namespace LeadScoring.Api.Audit;

/// <summary>One audited call. Never holds personal data: a lead is named by <see cref="AuditTargets.Lead"/>'s hash.</summary>
/// <param name="Outcome">succeeded (2xx), rejected (4xx other than 403), denied (403) or failed (5xx).</param>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Workspace,
    string Subject,
    string Role,
    string Action,
    string? Target,
    string Outcome,
    int Status,
    string RequestId,
    string? ClientAddress)
{
    public static string OutcomeOf(int status) => status switch
    {
        < 400 => "succeeded",
        StatusCodes.Status403Forbidden => "denied",
        < 500 => "rejected",
        _ => "failed",
    };
}

/// <summary>Which entries to read, newest first: those older than <paramref name="Before"/> (an entry id) when given.</summary>
public sealed record AuditQuery(
    string Workspace,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Action,
    string? Subject,
    string? Target,
    long? Before,
    int Limit);

public sealed record StoredAuditEntry(long Id, AuditEntry Entry);

/// <summary>What audited calls target. Lead ids may be personal (an e-mail address is a valid lead id), so they are hashed.</summary>
public static class AuditTargets
{
    /// <summary>
    /// "lead:" and the SHA-256 of workspace and lead id (hex, first 32 characters): the same lead always
    /// gives the same target, so its audit trail can be followed, but the row does not show the id.
    /// </summary>
    public static string Lead(string workspace, string leadId) =>
        "lead:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"leadscoring-audit/{workspace}/{leadId}")))[..32];
}
