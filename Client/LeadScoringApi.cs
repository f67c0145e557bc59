using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace LeadScoring.Client;

/// <summary>Creates the typed client of the LeadScoring HTTP API (docs/clients.md).</summary>
public static class LeadScoringApi
{
    /// <summary>
    /// A client of the API at <paramref name="baseAddress"/> (its root, without /api) that sends the token
    /// <paramref name="token"/> gives, asked for before each request so that a caller can renew it, and only to
    /// that host.
    /// </summary>
    public static LeadScoringApiClient Create(Uri baseAddress, Func<CancellationToken, Task<string>> token, HttpClient? httpClient = null)
    {
        var authentication = new BaseBearerTokenAuthenticationProvider(new BearerToken(token, baseAddress.Host));
        var adapter = new HttpClientRequestAdapter(authentication, httpClient: httpClient)
        {
            BaseUrl = baseAddress.ToString().TrimEnd('/'),
        };
        return new LeadScoringApiClient(adapter);
    }

    private sealed class BearerToken(Func<CancellationToken, Task<string>> token, string host) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            AllowedHostsValidator.IsUrlHostValid(uri) ? token(cancellationToken) : Task.FromResult(string.Empty);
    }
}
