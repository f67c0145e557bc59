using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using LeadScoring.Api.Events;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Bearer tokens that passed every check, with the caller built from each, until the token expires (plus
/// the clock skew the validation allows). Clients send the same token with every request, and validating it
/// again (parsing, signature, the claim checks, a new principal) cost about as much CPU as reading a cached
/// score. Failures are never remembered. The set is bounded: when it is full it starts over. Keys are the whole
/// Authorization header value, so a lookup needs no substring.
/// </summary>
public sealed class RememberedTokens(TimeProvider clock, TimeSpan clockSkew)
{
    public const int MaxTokens = 10_000;

    private readonly ConcurrentDictionary<string, (CallerPrincipal Caller, DateTimeOffset UsableUntil)> _valid = new(StringComparer.Ordinal);

    public int Count => _valid.Count;

    /// <summary>The caller of a remembered header value that has not expired yet, or null.</summary>
    public CallerPrincipal? Find(string authorization)
    {
        if (!_valid.TryGetValue(authorization, out var known))
        {
            return null;
        }

        if (clock.GetUtcNow() <= known.UsableUntil)
        {
            return known.Caller;
        }

        _valid.TryRemove(authorization, out _);
        return null;
    }

    /// <summary>Remembers a validated token's caller until <paramref name="expires"/> plus the clock skew.</summary>
    public void Remember(string authorization, CallerPrincipal caller, DateTimeOffset expires)
    {
        if (_valid.Count >= MaxTokens)
        {
            _valid.Clear();
        }

        _valid[authorization] = (caller, expires + clockSkew);
    }
}

/// <summary>
/// The API's default authentication scheme: a remembered token's caller, else the JWT bearer scheme's full
/// validation (and its 401 and 403 answers, to which challenges and forbids are forwarded). Every authenticated
/// request's user is a <see cref="CallerPrincipal"/>. A remembered caller is shared by that token's requests,
/// so nothing may change a request's user.
/// </summary>
public sealed class RememberedBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, RememberedTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "RememberedBearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? authorization = Request.Headers.Authorization;
        if (authorization is null && ScoresHub.QueryToken(Request) is { } queryToken)
        {
            authorization = $"Bearer {queryToken}";
        }

        if (authorization is not null && tokens.Find(authorization) is { } remembered)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(remembered, Scheme.Name));
        }

        var validated = await Context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!validated.Succeeded)
        {
            return validated;
        }

        var caller = new CallerPrincipal(validated.Principal);
        if (authorization is not null && validated.Properties.ExpiresUtc is { } expires)
        {
            tokens.Remember(authorization, caller, expires);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(caller, validated.Properties, Scheme.Name));
    }
}
