using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// `token --workspace W --role R [--ttl SECONDS] [--subject S]`: prints one API token signed with LEADSCORING_JWT_KEY.
/// `signin-link` with the same options and `--url BASE` prints a one-time browser sign-in link instead
/// (<see cref="SignInLinks"/>; its code lasts 10 minutes unless --ttl says less).
/// </summary>
public static class TokenCommand
{
    public const string Usage = "usage: token|signin-link --workspace W --role admin|analyst|ingest [--ttl SECONDS] [--subject S] [--url BASE (signin-link)]";

    public static int Run(IReadOnlyList<string> args, bool signInLink = false)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        if (args.Count % 2 != 0 || options.Keys.Any(k => k is not ("--workspace" or "--role" or "--ttl" or "--subject") && !(signInLink && k == "--url"))
            || !options.TryGetValue("--workspace", out var workspace) || !options.TryGetValue("--role", out var role))
        {
            return Fail(Usage);
        }

        var ttl = options.TryGetValue("--ttl", out var ttlText) ? int.TryParse(ttlText, out var seconds) && seconds > 0 ? seconds : -1 : 3600;
        if (signInLink)
        {
            ttl = Math.Min(ttl, (int)SignInLinks.Lifetime.TotalSeconds);
        }

        if (ttl < 0)
        {
            return Fail("--ttl must be a positive number of seconds");
        }

        SymmetricSecurityKey key;
        try
        {
            key = LocalTokens.KeyFrom(Environment.GetEnvironmentVariable(LocalTokens.KeyVariable)
                ?? throw new InvalidOperationException($"{LocalTokens.KeyVariable} is not set."));
        }
        catch (InvalidOperationException e)
        {
            return Fail(e.Message);
        }

        var identity = LocalTokens.Identity(options.GetValueOrDefault("--subject") ?? $"cli-{role}", workspace, role);
        if (ApiSecurity.ClaimsProblem(new ClaimsPrincipal(identity)) is { } problem)
        {
            return Fail(problem);
        }

        if (signInLink)
        {
            var code = SignInLinks.Issue(key, identity, TimeSpan.FromSeconds(ttl), DateTime.UtcNow);
            Console.WriteLine(SignInLinks.Url(options.GetValueOrDefault("--url") ?? "http://localhost:5080", code));
            return 0;
        }

        Console.WriteLine(LocalTokens.Issue(key, identity, TimeSpan.FromSeconds(ttl), DateTime.UtcNow));
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
