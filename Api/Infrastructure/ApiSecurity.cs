using LeadScoring.Common;
using System.Text.RegularExpressions;
using LeadScoring.Api.Audit;
using LeadScoring.Api.Options;
using LeadScoring.Api.Events;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Who may do what: ingest writes leads, activities and outcomes and may score; analyst reads leads, scores,
/// history, metrics and models; admin does everything. Every /api endpoint names one of these.
/// </summary>
public static class Policies
{
    public const string Write = "write";
    public const string Read = "read";
    public const string Score = "score";
    public const string Admin = "admin";

    /// <summary>Admin, by bearer token or by the web app's session: the Orleans dashboard and the API reference.</summary>
    public const string AdminInBrowser = "admin-in-browser";
}

public static partial class ApiSecurity
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// JWT bearer authentication, either against an external identity provider (<see cref="AuthOptions"/>) or with
    /// the local key (<see cref="LocalTokens.KeyVariable"/>). With neither the API refuses to start
    /// (<see cref="ApiOptionsRegistration"/>): an API that silently accepted anyone would be worse than one that
    /// does not run.
    /// </summary>
    public static WebApplicationBuilder AddLeadScoringSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => new RememberedTokens(services.GetRequiredService<TimeProvider>(), ClockSkew));
        builder.Services.AddAuthentication(RememberedBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, RememberedBearerHandler>(RememberedBearerHandler.SchemeName, options =>
            {
                options.ForwardChallenge = JwtBearerDefaults.AuthenticationScheme;
                options.ForwardForbid = JwtBearerDefaults.AuthenticationScheme;
            })
            .AddJwtBearer()
            .AddLeadScoringSessions(builder.Configuration, builder.Environment);
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>, IConfiguration, TimeProvider>((options, auth, configuration, clock) =>
        {
            options.MapInboundClaims = false;
            var parameters = new TokenValidationParameters
            {
                ClockSkew = ClockSkew,
                LifetimeValidator = TokenLifetime.Validator(clock),
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                NameClaimType = TokenClaims.Subject,
                RoleClaimType = TokenClaims.Role,
            };
            if (auth.Value.UsesIdentityProvider)
            {
                options.Authority = auth.Value.Authority;
                // A provider on plain HTTP only in Development (a local provider, the tests' stand-in).
                options.RequireHttpsMetadata = !development;
                parameters.ValidAudience = auth.Value.Audience;
            }
            else
            {
                parameters.ValidIssuer = LocalTokens.Issuer;
                parameters.ValidAudience = LocalTokens.Audience;
                parameters.IssuerSigningKey = LocalTokens.KeyFrom(configuration[LocalTokens.KeyVariable]!);
                parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }

            options.TokenValidationParameters = parameters;
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    context.Token ??= ScoresHub.QueryToken(context.Request);
                    return Task.CompletedTask;
                },
                OnTokenValidated = context =>
                {
                    if (ClaimsProblem(context.Principal!) is { } problem)
                    {
                        context.Fail(problem);
                    }
                    else
                    {
                        // Until when RememberedBearerHandler may reuse this validation.
                        context.Properties.ExpiresUtc = new DateTimeOffset(DateTime.SpecifyKind(context.SecurityToken.ValidTo, DateTimeKind.Utc));
                    }

                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var detail = context.AuthenticateFailure is { } failure ? Reason(failure) : "A bearer token is required (Authorization: Bearer <token>).";
                    context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                    await WriteProblem(context.HttpContext, StatusCodes.Status401Unauthorized, "Not authenticated", detail);
                },
                OnForbidden = async context =>
                {
                    await AuditTrail.RecordDeniedAsync(context.HttpContext);
                    await WriteProblem(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                        $"Role '{CallerPrincipal.Of(context.HttpContext).Role}' may not do this.");
                },
            };
        });

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(Policies.Write, p => p.RequireRole(Roles.Ingest, Roles.Admin))
            .AddPolicy(Policies.Read, p => p.RequireRole(Roles.Analyst, Roles.Admin))
            .AddPolicy(Policies.Score, p => p.RequireRole(Roles.Ingest, Roles.Analyst, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.AdminInBrowser, p => p.AddAuthenticationSchemes(SessionSecurity.BearerOrSessionScheme).RequireRole(Roles.Admin));
        return builder;
    }

    /// <summary>Why a validly signed token still cannot be used, or null.</summary>
    public static string? ClaimsProblem(System.Security.Claims.ClaimsPrincipal principal)
    {
        if (string.IsNullOrWhiteSpace(principal.FindFirst(TokenClaims.Subject)?.Value))
        {
            return "The token has no 'sub' claim.";
        }

        var workspace = principal.FindFirst(TokenClaims.Workspace)?.Value;
        if (workspace is null || !WorkspaceName().IsMatch(workspace))
        {
            return "The token's 'workspace' claim is missing or not a workspace name (letters, digits, '-' and '_', at most 64).";
        }

        var role = principal.FindFirst(TokenClaims.Role)?.Value;
        return role is not null && Roles.All.Contains(role) ? null : $"The token's 'role' claim must be one of: {string.Join(", ", Roles.All)}.";
    }

    private static string Reason(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The token is not meant for this API (audience).",
        SecurityTokenInvalidIssuerException => "The token was not issued by a trusted issuer.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        AuthenticationFailureException or InvalidOperationException => failure.Message,
        _ => "The token is not valid.",
    };

    private static Task WriteProblem(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex WorkspaceName();
}
