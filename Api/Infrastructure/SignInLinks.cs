using System.Security.Claims;
using LeadScoring.Common;
using LeadScoring.Web.Sessions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// One-time browser sign-in without an identity provider: a code signed with the local key for its own audience
/// (an API token is not a sign-in code, nor the reverse), valid for minutes, usable once (<see cref="Grains.Interfaces.ISignInCodeGrain"/>).
/// </summary>
public static class SignInLinks
{
    public const string Audience = "leadscoring-signin";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public static string Issue(SymmetricSecurityKey key, ClaimsIdentity identity, TimeSpan lifetime, DateTime now)
    {
        identity.AddClaim(new Claim(JwtRegisteredClaimNames.Jti, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));
        return LocalTokens.Issue(key, identity, lifetime, now, Audience);
    }

    public static string Url(string baseUrl, string code) => $"{baseUrl.TrimEnd('/')}{SessionCookie.SignInPath}?code={Uri.EscapeDataString(code)}";

    /// <summary>The code's identity, its id and when it expires; null with the reason when it is not a valid code.</summary>
    public static async Task<(ClaimsIdentity? Identity, string? Id, DateTimeOffset ExpiresAt, string? Problem)> ValidateAsync(string code, SymmetricSecurityKey key, TimeProvider clock)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(code, new TokenValidationParameters
        {
            ValidIssuer = LocalTokens.Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = TokenLifetime.Validator(clock),
        });
        if (!result.IsValid)
        {
            return (null, null, default, result.Exception is SecurityTokenExpiredException ? "This sign-in link has expired." : "This is not a valid sign-in link.");
        }

        var token = (JsonWebToken)result.SecurityToken;
        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        if (ApiSecurity.ClaimsProblem(principal) is { } problem || !token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var id))
        {
            return (null, null, default, "This is not a valid sign-in link.");
        }

        return (new ClaimsIdentity(
            [
                new Claim(TokenClaims.Subject, principal.FindFirst(TokenClaims.Subject)!.Value),
                new Claim(TokenClaims.Workspace, principal.FindFirst(TokenClaims.Workspace)!.Value),
                new Claim(TokenClaims.Role, principal.FindFirst(TokenClaims.Role)!.Value),
            ], SessionCookie.Scheme, TokenClaims.Subject, TokenClaims.Role), id, new DateTimeOffset(token.ValidTo, TimeSpan.Zero), null);
    }
}
