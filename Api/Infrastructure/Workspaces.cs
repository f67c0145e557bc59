using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Infrastructure;

/// <summary>The workspace a request acts in: only ever the one its token names, never a header or a parameter.</summary>
public static class Workspaces
{
    public static string Of(HttpContext context) => CallerPrincipal.Of(context).Workspace;
}

/// <summary>Grain calls made while handling the request say which workspace they are for (see <see cref="CallerWorkspace"/>).</summary>
public sealed class CallsForTokenWorkspace : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        CallerWorkspace.Set(Workspaces.Of(context.HttpContext));
        return next(context);
    }
}
