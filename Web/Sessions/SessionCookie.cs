namespace LeadScoring.Web.Sessions;

/// <summary>The names the browser session shares between the API's sign-in endpoints and the pages.</summary>
public static class SessionCookie
{
    /// <summary>The authentication scheme of the cookie session.</summary>
    public const string Scheme = "session";

    public const string Name = "leadscoring_session";

    /// <summary>Where the app lives on the API's host.</summary>
    public const string AppPath = "/app";

    public const string SignInPath = "/app/signin";

    public const string SignOutPath = "/app/signout";

    public const string SignedOutPath = "/app/signed-out";

    /// <summary>Where a signed-in user lands who may not open a page (an analyst on an admin page).</summary>
    public const string ForbiddenPath = "/app/forbidden";
}
