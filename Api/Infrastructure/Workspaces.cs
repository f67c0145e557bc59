using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Infrastructure;

/// <summary>The workspace a request acts in. Until authentication exists every request uses the default one.</summary>
public static class Workspaces
{
    public static string Of(HttpContext context) => WorkspaceKey.DefaultWorkspace;
}
