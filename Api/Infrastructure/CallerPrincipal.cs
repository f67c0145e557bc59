using LeadScoring.Common;
using System.Security.Claims;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// The user of an authenticated request: the token's identity with its subject, workspace and role read once,
/// when the token is validated, instead of searched for among the claims by every step of every request
/// (rate limits, authorization, the workspace of each grain call).
/// </summary>
public sealed class CallerPrincipal : ClaimsPrincipal
{
    /// <param name="validated">A principal that passed <see cref="ApiSecurity.ClaimsProblem"/>.</param>
    public CallerPrincipal(ClaimsPrincipal validated)
        : base(validated.Identities)
    {
        Subject = validated.FindFirst(TokenClaims.Subject)!.Value;
        Workspace = validated.FindFirst(TokenClaims.Workspace)!.Value;
        Role = validated.FindFirst(TokenClaims.Role)!.Value;
        RateLimitKey = $"{Workspace}/{Subject}";
    }

    /// <summary>The caller of a request that passed authentication.</summary>
    public static CallerPrincipal Of(HttpContext context) =>
        context.User as CallerPrincipal ?? throw new InvalidOperationException("The endpoint was reached without an authenticated caller.");

    public string Subject { get; }

    public string Workspace { get; }

    public string Role { get; }

    /// <summary>The subject's rate-limit bucket: subjects are per workspace.</summary>
    public string RateLimitKey { get; }

    /// <summary>A token names exactly one role (<see cref="ApiSecurity.ClaimsProblem"/> checked it).</summary>
    public override bool IsInRole(string role) => string.Equals(role, Role, StringComparison.Ordinal);
}
