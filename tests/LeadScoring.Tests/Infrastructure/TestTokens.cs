using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>
/// JWTs made by hand, as an outside client or an attacker would make them: the test processes' key, and any
/// claim, algorithm or signature a test wants to try.
/// </summary>
public static class TestTokens
{
    public static readonly byte[] Key = SHA256.HashData("leadscoring test key"u8);

    public static string KeyBase64 => Convert.ToBase64String(Key);

    public static Dictionary<string, object> Claims(string role = "admin", string workspace = "default", TimeSpan? expiresIn = null) => new()
    {
        ["sub"] = $"test-{role}",
        ["workspace"] = workspace,
        ["role"] = role,
        ["iss"] = "leadscoring",
        ["aud"] = "leadscoring-api",
        ["exp"] = DateTimeOffset.UtcNow.Add(expiresIn ?? TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
    };

    public static string Create(string role = "admin", string workspace = "default") => Sign(Claims(role, workspace));

    /// <summary>HS256 with <paramref name="key"/> (the processes' key by default); "none" leaves the signature empty.</summary>
    public static string Sign(Dictionary<string, object> claims, byte[]? key = null, string algorithm = "HS256")
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = algorithm, typ = "JWT" }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signed = $"{header}.{payload}";
        var signature = algorithm == "none" ? "" : Encode(HMACSHA256.HashData(key ?? Key, Encoding.ASCII.GetBytes(signed)));
        return $"{signed}.{signature}";
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
