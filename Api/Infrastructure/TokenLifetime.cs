using Microsoft.IdentityModel.Tokens;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// A token's lifetime checked against the API's <see cref="TimeProvider"/> rather than the machine's clock, so the
/// rule (expiry and not-before, each with the clock skew) is the same everywhere it is read, and testable.
/// </summary>
public static class TokenLifetime
{
    public static LifetimeValidator Validator(TimeProvider clock) => (notBefore, expires, token, parameters) =>
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore is { } from && now + parameters.ClockSkew < from)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = from };
        }

        if (now - parameters.ClockSkew > expires.Value)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }

        return true;
    };
}
