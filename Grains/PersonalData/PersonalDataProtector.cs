using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace LeadScoring.Grains.PersonalData;

/// <summary>
/// Seals and opens personal data with AES-256-GCM. The current key (LEADSCORING_DATA_KEY, base64 of 32 bytes)
/// seals; retired keys (LEADSCORING_DATA_KEYS_RETIRED, comma-separated) still open what they sealed, so keys
/// rotate without downtime: a lead sealed under a retired key is sealed again under the current one on its
/// next write. A key's id is derived from the key itself (the first 8 bytes of its SHA-256, in hex), so ids
/// cannot be mixed up with the wrong key. The associated data binds a ciphertext to its workspace and lead:
/// sealed data copied onto another lead does not open.
/// </summary>
public sealed class PersonalDataProtector
{
    public const string KeyVariable = "LEADSCORING_DATA_KEY";
    public const string RetiredKeysVariable = "LEADSCORING_DATA_KEYS_RETIRED";
    public const int KeyBytes = 32;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly (string Id, byte[] Key) _current;
    private readonly Dictionary<string, byte[]> _keys;

    public PersonalDataProtector(byte[] currentKey, IEnumerable<byte[]>? retiredKeys = null)
    {
        _current = (KeyId(currentKey), currentKey);
        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [_current.Id] = currentKey };
        foreach (var retired in retiredKeys ?? [])
        {
            _keys.TryAdd(KeyId(retired), retired);
        }
    }

    public string CurrentKeyId => _current.Id;

    /// <summary>
    /// From configuration. Without a key: refused when <paramref name="required"/> (data that outlives the
    /// process must stay readable), else a key for this process only (memory mode keeps nothing anyway).
    /// </summary>
    public static PersonalDataProtector FromConfiguration(IConfiguration configuration, bool required)
    {
        var current = configuration[KeyVariable];
        if (string.IsNullOrWhiteSpace(current))
        {
            return required
                ? throw new InvalidOperationException(
                    $"{KeyVariable} is not set: personal data is stored encrypted and needs a key (base64 of {KeyBytes} random bytes, e.g. `openssl rand -base64 32`).")
                : new PersonalDataProtector(RandomNumberGenerator.GetBytes(KeyBytes));
        }

        var retired = (configuration[RetiredKeysVariable] ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(k => ParseKey(k, RetiredKeysVariable));
        return new PersonalDataProtector(ParseKey(current, KeyVariable), retired);
    }

    public static byte[] ParseKey(string base64, string variable)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{variable} is not base64.");
        }

        return key.Length == KeyBytes ? key : throw new InvalidOperationException($"{variable} must hold {KeyBytes} bytes, not {key.Length}.");
    }

    public static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));

    public SealedPersonalData Seal(LeadPersonalData data, string workspace, string leadId) =>
        Seal(data.ToUtf8(), AssociatedData(workspace, leadId));

    /// <exception cref="CryptographicException">The key is unknown, or the data was altered or belongs to another lead.</exception>
    public LeadPersonalData Open(SealedPersonalData sealedData, string workspace, string leadId) =>
        LeadPersonalData.FromUtf8(Open(sealedData, AssociatedData(workspace, leadId), $"Personal data of lead '{leadId}'"));

    /// <summary>
    /// A secret the system keeps for a caller (a webhook's signing secret), sealed like personal data and bound to
    /// <paramref name="owner"/>, as text: key id, nonce, tag and ciphertext.
    /// </summary>
    public string SealSecret(byte[] secret, string owner)
    {
        var sealedData = Seal(secret, Encoding.UTF8.GetBytes(owner));
        return string.Join('.', sealedData.KeyId, Convert.ToBase64String(sealedData.Nonce), Convert.ToBase64String(sealedData.Tag),
            Convert.ToBase64String(sealedData.Ciphertext));
    }

    /// <exception cref="CryptographicException">The key is unknown, or the secret was altered or belongs to another owner.</exception>
    public byte[] OpenSecret(string sealedText, string owner)
    {
        var parts = sealedText.Split('.');
        if (parts.Length != 4)
        {
            throw new CryptographicException($"The secret of {owner} is not in its sealed form.");
        }

        var sealedData = new SealedPersonalData(parts[0], Convert.FromBase64String(parts[1]), Convert.FromBase64String(parts[3]), Convert.FromBase64String(parts[2]));
        return Open(sealedData, Encoding.UTF8.GetBytes(owner), $"The secret of {owner}");
    }

    private SealedPersonalData Seal(byte[] plaintext, byte[] associatedData)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using var aes = new AesGcm(_current.Key, TagBytes);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        return new SealedPersonalData(_current.Id, nonce, ciphertext, tag);
    }

    private byte[] Open(SealedPersonalData sealedData, byte[] associatedData, string what)
    {
        if (!_keys.TryGetValue(sealedData.KeyId, out var key))
        {
            throw new CryptographicException(
                $"{what} is sealed under key id {sealedData.KeyId}, which is neither {KeyVariable} nor in {RetiredKeysVariable}.");
        }

        var plaintext = new byte[sealedData.Ciphertext.Length];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedData.Nonce, sealedData.Ciphertext, sealedData.Tag, plaintext, associatedData);
        return plaintext;
    }

    public bool IsSealedUnderCurrentKey(SealedPersonalData sealedData) => sealedData.KeyId == _current.Id;

    private static byte[] AssociatedData(string workspace, string leadId) => Encoding.UTF8.GetBytes($"{workspace}/{leadId}");
}
