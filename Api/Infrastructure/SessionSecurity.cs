using LeadScoring.Api.Options;
using LeadScoring.Web.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// The web app's browser session: an HttpOnly, SameSite=Lax cookie (Secure outside Development), started by a
/// one-time sign-in link or, with an identity provider and a client id configured, by OpenID Connect's
/// authorization code flow with PKCE. The API itself keeps taking bearer tokens only.
/// </summary>
public static class SessionSecurity
{
    public const string IdentityProviderScheme = "oidc";

    /// <summary>Bearer token when the request carries one, else the browser session: for pages an admin opens either way.</summary>
    public const string BearerOrSessionScheme = "bearer-or-session";

    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static AuthenticationBuilder AddLeadScoringSessions(this AuthenticationBuilder authentication, IConfiguration configuration, IHostEnvironment environment)
    {
        authentication.AddCookie(SessionCookie.Scheme, o =>
        {
            o.Cookie.Name = SessionCookie.Name;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.ExpireTimeSpan = SessionLifetime;
            o.SlidingExpiration = true;
            o.LoginPath = SessionCookie.SignInPath;
            o.ReturnUrlParameter = "returnUrl";
            o.AccessDeniedPath = SessionCookie.ForbiddenPath;
            o.Events.OnValidatePrincipal = context =>
            {
                if (SignedInUser.From(context.Principal!) is null)
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });
        authentication.AddPolicyScheme(BearerOrSessionScheme, BearerOrSessionScheme, o => o.ForwardDefaultSelector = context =>
            context.Request.Headers.ContainsKey(HeaderNames.Authorization) ? RememberedBearerHandler.SchemeName : SessionCookie.Scheme);

        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (auth.UsesIdentityProvider && !string.IsNullOrWhiteSpace(auth.ClientId))
        {
            authentication.AddOpenIdConnect(IdentityProviderScheme, o =>
            {
                o.Authority = auth.Authority;
                // A provider on plain HTTP only in Development (a local provider, the tests' stand-in).
                o.RequireHttpsMetadata = !environment.IsDevelopment();
                o.ClientId = auth.ClientId;
                o.ClientSecret = auth.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.SignInScheme = SessionCookie.Scheme;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.SaveTokens = false;
                o.CallbackPath = "/app/signin-oidc";
                o.SignedOutCallbackPath = "/app/signout-oidc";
                o.TokenValidationParameters = new TokenValidationParameters { NameClaimType = Common.TokenClaims.Subject, RoleClaimType = Common.TokenClaims.Role };
                o.Events.OnTicketReceived = async context =>
                {
                    // The provider must issue workspace and role, as it must in its API tokens.
                    if (context.Principal is not { } principal || SignedInUser.From(principal) is not { } user)
                    {
                        context.Fail("The identity provider's sign-in names no workspace or role.");
                        return;
                    }

                    await context.HttpContext.RequestServices.GetRequiredService<Audit.AuditTrail>()
                        .RecordSessionAsync(context.HttpContext, user.Workspace, user.Subject, user.Role, "session.sign_in", StatusCodes.Status302Found);
                };
            });
        }

        return authentication;
    }
}
