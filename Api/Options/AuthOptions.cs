namespace LeadScoring.Api.Options;

/// <summary>
/// Configuration section "LeadScoring:Auth": an external OpenID Connect identity provider, its issuer URL (keys
/// come from its metadata) and the audience its tokens must name. Unset, tokens are signed with the local key.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "LeadScoring:Auth";

    public string? Authority { get; set; }

    public string? Audience { get; set; }

    public bool UsesIdentityProvider => !string.IsNullOrWhiteSpace(Authority);
}
