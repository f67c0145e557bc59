using System.Security.Cryptography;
using System.Text;

namespace LeadScoring.Grains.Webhooks;

/// <summary>
/// Secrets and signatures as the Standard Webhooks specification has them: a secret is "whsec_" and the base64 of
/// its key; a signature is "v1," and the base64 HMAC-SHA256, under the key, of "{id}.{timestamp}.{body}".
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const int KeyBytes = 32;

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    public static string SecretOf(byte[] key) => SecretPrefix + Convert.ToBase64String(key);

    /// <summary>The webhook-signature header: one signature per key, space-separated.</summary>
    public static string Header(IEnumerable<byte[]> keys, string eventId, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{eventId}.{timestamp}.{body}");
        return string.Join(' ', keys.Select(key => "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed))));
    }
}
