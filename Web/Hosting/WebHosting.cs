using LeadScoring.Web.Components;
using LeadScoring.Web.Live;
using LeadScoring.Web.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace LeadScoring.Web.Hosting;

/// <summary>
/// Hosts the web app in the API's process (a front end, or a silo serving the API): the pages at /app, rendered on
/// the server, interactive over their own circuit, behind the cookie session the API's sign-in starts.
/// </summary>
public static class WebHosting
{
    public static IServiceCollection AddLeadScoringWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();
        services.AddCascadingAuthenticationState();
        services.AddSingleton<WorkspaceEventFeed>();
        services.AddScoped<WorkspaceGrains>();
        services.Configure<CircuitOptions>(o => o.DetailedErrors = false);
        return services;
    }

    /// <summary>The pages, behind the session cookie; the sign-in and sign-out endpoints are the API's.</summary>
    public static RazorComponentsEndpointConventionBuilder MapLeadScoringWeb(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { AuthenticationSchemes = SessionCookie.Scheme });
}
