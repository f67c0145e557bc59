using System.Net;
using System.Security.Claims;
using LeadScoring.Api.Audit;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Options;
using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Web.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LeadScoring.Api.Apis;

/// <summary>
/// The browser's way in and out of the web app: a one-time sign-in link (or the identity provider's sign-in when
/// one is configured) starts a cookie session; signing out ends it. Both are audited.
/// </summary>
public static class SessionsApi
{
    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(SessionCookie.SignInPath, SignIn).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(SessionCookie.SignOutPath, SignOut).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(SessionCookie.SignedOutPath, () => Page(HttpStatusCode.OK, "Signed out", "You are signed out.")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(SessionCookie.ForbiddenPath, () => Page(HttpStatusCode.Forbidden, "Admins only", "This page is for admins of the workspace."))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignIn(
        HttpContext http, string? code, string? returnUrl, IOptions<AuthOptions> auth, IConfiguration configuration, IClusterClient cluster, AuditTrail audit, TimeProvider clock)
    {
        var target = returnUrl is { } url && url.StartsWith(SessionCookie.AppPath, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            ? url
            : SessionCookie.AppPath;
        if (string.IsNullOrEmpty(code))
        {
            return auth.Value.UsesIdentityProvider
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [SessionSecurity.IdentityProviderScheme])
                : Page(HttpStatusCode.Unauthorized, "Sign in",
                    "Open the sign-in link you were given. An operator makes one with ./run.sh login --workspace W --role admin|analyst.");
        }

        if (auth.Value.UsesIdentityProvider || configuration[LocalTokens.KeyVariable] is not { } key)
        {
            return Page(HttpStatusCode.BadRequest, "Sign in", "This deployment signs in through its identity provider, not with links.");
        }

        var (identity, id, expiresAt, problem) = await SignInLinks.ValidateAsync(code, LocalTokens.KeyFrom(key), clock);
        if (identity is null)
        {
            return Page(HttpStatusCode.BadRequest, "Sign in", $"{problem} Ask for a new one.");
        }

        var user = SignedInUser.From(new ClaimsPrincipal(identity))!;
        if (!await cluster.GetGrain<ISignInCodeGrain>(id!).Redeem(expiresAt))
        {
            await audit.RecordSessionAsync(http, user.Workspace, user.Subject, user.Role, "session.sign_in", StatusCodes.Status409Conflict);
            return Page(HttpStatusCode.BadRequest, "Sign in", "This sign-in link was used already. Ask for a new one.");
        }

        await http.SignInAsync(SessionCookie.Scheme, new ClaimsPrincipal(identity));
        await audit.RecordSessionAsync(http, user.Workspace, user.Subject, user.Role, "session.sign_in", StatusCodes.Status302Found);
        return Results.Redirect(target);
    }

    private static async Task<IResult> SignOut(HttpContext http, IAntiforgery antiforgery, IOptions<AuthOptions> auth, AuditTrail audit)
    {
        // The form's token was made for the session's user: check it against that user, not the API's default (bearer) scheme.
        var session = await http.AuthenticateAsync(SessionCookie.Scheme);
        if (session.Principal is { } signedIn)
        {
            http.User = signedIn;
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Page(HttpStatusCode.BadRequest, "Sign out", "The sign-out form was not this site's. Sign out from the app's own button.");
        }

        if (session.Principal is { } principal && SignedInUser.From(principal) is { } user)
        {
            await http.SignOutAsync(SessionCookie.Scheme);
            await audit.RecordSessionAsync(http, user.Workspace, user.Subject, user.Role, "session.sign_out", StatusCodes.Status302Found);
            if (auth.Value.UsesIdentityProvider)
            {
                return Results.SignOut(new AuthenticationProperties { RedirectUri = SessionCookie.SignedOutPath }, [SessionSecurity.IdentityProviderScheme]);
            }
        }

        return Results.Redirect(SessionCookie.SignedOutPath);
    }

    /// <summary>A small page of its own for the moments outside the app (no session yet, or none any more).</summary>
    private static IResult Page(HttpStatusCode status, string title, string message) => Results.Content(
        $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{WebUtility.HtmlEncode(title)}} · LeadScoring</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}@media(prefers-color-scheme:dark){body{background:#121212;color:#eee} a{color:#90caf9} }</style></head>
        <body><h1>{{WebUtility.HtmlEncode(title)}}</h1><p>{{WebUtility.HtmlEncode(message)}}</p><p><a href="{{SessionCookie.SignInPath}}">Sign in</a></p></body></html>
        """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, (int)status);
}
