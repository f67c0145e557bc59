namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// The workspace a call is made for, carried in the Orleans request context by the API. It never grants
/// anything (the API authorizes from the token, and grain keys carry the workspace); the silo uses it only to
/// refuse a call whose target grain belongs to another workspace, in case a bug in the front end built the
/// wrong key. Calls without it (other services, timers) are not checked.
/// </summary>
public static class CallerWorkspace
{
    public const string ContextKey = "leadscoring.workspace";

    public static void Set(string workspace) => RequestContext.Set(ContextKey, workspace);

    public static string? Current => RequestContext.Get(ContextKey) as string;
}
