namespace LeadScoring.Api.Infrastructure;

/// <summary>The workspace a request acts in: only ever the one its token names, never a header or a parameter.</summary>
public static class Workspaces
{
    public static string Of(HttpContext context) =>
        context.User.FindFirst(TokenClaims.Workspace)?.Value
        ?? throw new InvalidOperationException("The endpoint was reached without an authenticated workspace.");
}
