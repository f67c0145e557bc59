using System.Text.Json;
using LeadScoring.Grains.Options;

namespace LeadScoring.Grains.PersonalData;

/// <summary>
/// What identifies the person behind a lead: held in clear only in the lead grain's memory, stored sealed
/// (<see cref="PersonalDataProtector"/>), never a model feature, masked for every role but admin.
/// </summary>
/// <param name="Attributes">Attributes the workspace marks personal (<see cref="PersonalDataOptions"/>), as text.</param>
public sealed record LeadPersonalData(string? Email, string? Name, string? Phone, IReadOnlyDictionary<string, string> Attributes)
{
    public static readonly LeadPersonalData None = new(null, null, null, new Dictionary<string, string>());

    public bool IsEmpty => Email is null && Name is null && Phone is null && Attributes.Count == 0;

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static LeadPersonalData FromUtf8(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<LeadPersonalData>(json) ?? throw new InvalidDataException("Sealed personal data held no record.");
}

/// <summary>Personal data as stored: AES-256-GCM ciphertext and tag, the nonce, and the id of the key that sealed it.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.SealedPersonalData")]
public sealed record SealedPersonalData(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] Nonce,
    [property: Id(2)] byte[] Ciphertext,
    [property: Id(3)] byte[] Tag);
