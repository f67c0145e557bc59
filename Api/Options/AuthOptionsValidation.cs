using LeadScoring.Api.Infrastructure;
using Microsoft.Extensions.Options;

namespace LeadScoring.Api.Options;

/// <summary>
/// Either an identity provider (an absolute Authority URL and the Audience its tokens name) or a usable local
/// key (<see cref="LocalTokens.KeyVariable"/>): an API that accepted anyone would be worse than one that does not start.
/// </summary>
public sealed class AuthOptionsValidation(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.UsesIdentityProvider)
        {
            return !Uri.TryCreate(options.Authority, UriKind.Absolute, out _)
                ? ValidateOptionsResult.Fail($"{AuthOptions.SectionName}:Authority must be an absolute URL (the identity provider's issuer)")
                : string.IsNullOrWhiteSpace(options.Audience)
                    ? ValidateOptionsResult.Fail($"{AuthOptions.SectionName}:Audience is required with an Authority: the audience the provider's tokens name")
                    : ValidateOptionsResult.Success;
        }

        if (configuration[LocalTokens.KeyVariable] is not { Length: > 0 } key || string.IsNullOrWhiteSpace(key))
        {
            return ValidateOptionsResult.Fail(
                $"No authentication configured: set {LocalTokens.KeyVariable} (base64, at least {LocalTokens.MinimumKeyBytes} bytes) " +
                $"or {AuthOptions.SectionName}:Authority and Audience.");
        }

        try
        {
            LocalTokens.KeyFrom(key);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException bad)
        {
            return ValidateOptionsResult.Fail(bad.Message);
        }
    }
}
