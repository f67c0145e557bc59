using LeadScoring.Tests.Infrastructure;
using System.Security.Claims;
using LeadScoring.Api.Infrastructure;

namespace LeadScoring.Tests;

[Trait("Category", "Unit")]
public class RememberedTokensTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_remembered_token_is_found_until_it_expires_with_the_skew_and_never_after()
    {
        var clock = new ManualClock(Start);
        var tokens = new RememberedTokens(clock, Skew);
        var principal = Principal("ana");
        tokens.Remember("Bearer a", principal, Start.AddMinutes(5));

        Assert.Same(principal, tokens.Find("Bearer a"));
        Assert.Null(tokens.Find("Bearer b"));
        Assert.Null(tokens.Find("bearer a"));
        clock.Set(Start.AddMinutes(5) + Skew);
        Assert.Same(principal, tokens.Find("Bearer a"));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(tokens.Find("Bearer a"));
        // Forgotten, not just hidden: turning the clock back does not bring it back.
        clock.Set(Start);
        Assert.Null(tokens.Find("Bearer a"));
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public void A_full_set_starts_over_and_keeps_the_newest_token()
    {
        var tokens = new RememberedTokens(new ManualClock(Start), Skew);
        for (var i = 0; i < RememberedTokens.MaxTokens; i++)
        {
            tokens.Remember($"Bearer t{i}", Principal($"s{i}"), Start.AddHours(1));
        }

        Assert.Equal(RememberedTokens.MaxTokens, tokens.Count);
        var newest = Principal("newest");
        tokens.Remember("Bearer newest", newest, Start.AddHours(1));

        Assert.Equal(1, tokens.Count);
        Assert.Same(newest, tokens.Find("Bearer newest"));
        Assert.Null(tokens.Find("Bearer t0"));
    }

    [Fact]
    public void A_caller_reads_its_claims_once_and_is_in_its_own_role_only()
    {
        var caller = Principal("ana", workspace: "acme", role: "analyst");

        Assert.Equal("ana", caller.Subject);
        Assert.Equal("acme", caller.Workspace);
        Assert.Equal("analyst", caller.Role);
        Assert.Equal("acme/ana", caller.RateLimitKey);
        Assert.True(caller.IsInRole("analyst"));
        Assert.False(caller.IsInRole("admin"));
        Assert.False(caller.IsInRole("Analyst"));
        Assert.True(caller.Identity?.IsAuthenticated);
        Assert.Equal("ana", caller.FindFirst("sub")?.Value);
    }

    private static CallerPrincipal Principal(string subject, string workspace = "default", string role = "admin") =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", subject), new Claim("workspace", workspace), new Claim("role", role)], "test")));
}
