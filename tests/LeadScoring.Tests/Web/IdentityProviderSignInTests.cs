using System.Net;
using LeadScoring.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace LeadScoring.Tests.Web;

/// <summary>
/// With an identity provider configured, a browser that opens the web app is sent to the provider's authorization
/// endpoint with the authorization code flow and PKCE. No provider runs on this machine, so the test serves the
/// provider's discovery document itself (the part of a provider this step reads) and checks the redirect.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Postgres")]
public sealed class IdentityProviderSignInTests
{
    [Fact]
    public async Task Opening_the_app_sends_the_browser_to_the_provider_with_the_code_flow_and_PKCE()
    {
        var providerPort = ProductProcess.FreePort();
        var issuer = $"http://127.0.0.1:{providerPort}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(issuer);
        await using var provider = builder.Build();
        provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = $"{issuer}/authorize",
            ["token_endpoint"] = $"{issuer}/token",
            ["userinfo_endpoint"] = $"{issuer}/userinfo",
            ["jwks_uri"] = $"{issuer}/jwks",
            ["end_session_endpoint"] = $"{issuer}/logout",
            ["response_types_supported"] = new[] { "code" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        provider.MapGet("/jwks", () => Results.Json(new { keys = Array.Empty<object>() }));
        await provider.StartAsync();

        await using var cluster = await ProductCluster.StartAsync(apiEnvironment: new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["LeadScoring__Auth__Authority"] = issuer,
            ["LeadScoring__Auth__Audience"] = "leadscoring-api",
            ["LeadScoring__Auth__ClientId"] = "leadscoring-web",
        });
        using var api = cluster.CreateApiClient(role: null);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress };

        using var app = await browser.GetAsync("/app/leads");
        Assert.Equal(HttpStatusCode.Redirect, app.StatusCode);
        Assert.Equal("/app/signin", app.Headers.Location!.AbsolutePath);
        using var signIn = await browser.GetAsync(app.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var authorize = signIn.Headers.Location!;
        Assert.Equal($"{issuer}/authorize", authorize.GetLeftPart(UriPartial.Path));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("leadscoring-web", query["client_id"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.Equal(new Uri(api.BaseAddress!, "/app/signin-oidc").ToString(), query["redirect_uri"]);
        Assert.Contains("openid", query["scope"].ToString().Split(' '));
        Assert.False(string.IsNullOrEmpty(query["state"]));
    }
}
