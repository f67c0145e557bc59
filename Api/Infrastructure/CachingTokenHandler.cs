using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Validates bearer tokens with the standard <see cref="JsonWebTokenHandler"/> and remembers each valid one
/// until it expires: clients send the same token with every request, and parsing it and building its claims
/// again cost as much CPU as the rest of a cached score read. A remembered token is still refused from the
/// moment it expires (with the same clock skew). Failures are never remembered. The cache is bounded: when it
/// is full it starts over.
/// </summary>
public sealed class CachingTokenHandler(TimeProvider clock, TimeSpan clockSkew) : TokenHandler
{
    private const int MaxTokens = 10_000;

    private readonly JsonWebTokenHandler _inner = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTime UsableUntil)> _valid = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_valid.TryGetValue(token, out var known))
        {
            if (now <= known.UsableUntil)
            {
                return known.Result;
            }

            _valid.TryRemove(token, out _);
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { ValidTo: var validTo } && validTo > DateTime.MinValue)
        {
            if (_valid.Count >= MaxTokens)
            {
                _valid.Clear();
            }

            _valid[token] = (result, validTo + clockSkew);
        }

        return result;
    }
}
