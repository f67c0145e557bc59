using LeadScoring.Common;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Tokens signed with the deployment's own key (LEADSCORING_JWT_KEY, base64, at least 32 bytes): HS256, issuer
/// "leadscoring", audience "leadscoring-api", claims sub, workspace, role and exp. For deployments without an
/// external identity provider, and for `./run.sh token`.
/// </summary>
public static class LocalTokens
{
    public const string KeyVariable = "LEADSCORING_JWT_KEY";
    public const string Issuer = "leadscoring";
    public const string Audience = "leadscoring-api";
    public const int MinimumKeyBytes = 32;

    /// <summary>The signing key from its base64 text; refuses keys too short for HS256.</summary>
    public static SymmetricSecurityKey KeyFrom(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{KeyVariable} must be base64.");
        }

        return bytes.Length >= MinimumKeyBytes
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException($"{KeyVariable} must hold at least {MinimumKeyBytes} bytes; it holds {bytes.Length}.");
    }

    public static ClaimsIdentity Identity(string subject, string workspace, string role) => new([
        new Claim(TokenClaims.Subject, subject),
        new Claim(TokenClaims.Workspace, workspace),
        new Claim(TokenClaims.Role, role),
    ]);

    public static string Issue(SymmetricSecurityKey key, ClaimsIdentity identity, TimeSpan lifetime, DateTime now, string audience = Audience) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = identity,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
}
