namespace LeadScoring.Api.Options;

/// <summary>
/// Configuration section "LeadScoring:Auth": an external OpenID Connect identity provider, its issuer URL (keys
/// come from its metadata) and the audience its tokens must name. Unset, tokens are signed with the local key.
/// With <see cref="ClientId"/> too, the web app signs browsers in there (authorization code with PKCE).
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "LeadScoring:Auth";

    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>The web app's client id at the identity provider (browser sign-in).</summary>
    public string? ClientId { get; set; }

    /// <summary>The web app's client secret, for providers that want one beside PKCE.</summary>
    public string? ClientSecret { get; set; }

    public bool UsesIdentityProvider => !string.IsNullOrWhiteSpace(Authority);
}
