namespace LeadScoring.Web.Components;

/// <summary>The theme a user picked: light or dark, kept in a cookie; without it the system's setting decides.</summary>
public static class ThemeChoice
{
    public const string Cookie = "leadscoring_theme";
}
