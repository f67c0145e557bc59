using System.Security.Cryptography;

namespace LeadScoring.Grains.Events;

/// <summary>
/// Event ids: "evt_" and 26 characters of Crockford base32, the first 10 the time in milliseconds and the rest
/// 80 random bits, so ids sort by the time they were made and never collide in practice.
/// </summary>
public static class EventIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(DateTimeOffset at)
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        Span<char> id = stackalloc char[30];
        "evt_".CopyTo(id);
        var milliseconds = (ulong)Math.Max(0, at.ToUnixTimeMilliseconds());
        for (var i = 13; i >= 4; i--)
        {
            id[i] = Alphabet[(int)(milliseconds & 31)];
            milliseconds >>= 5;
        }

        // 80 bits as 16 characters of 5 bits each.
        var high = ((ulong)random[0] << 32) | ((ulong)random[1] << 24) | ((ulong)random[2] << 16) | ((ulong)random[3] << 8) | random[4];
        var low = ((ulong)random[5] << 32) | ((ulong)random[6] << 24) | ((ulong)random[7] << 16) | ((ulong)random[8] << 8) | random[9];
        for (var i = 21; i >= 14; i--)
        {
            id[i] = Alphabet[(int)(high & 31)];
            high >>= 5;
        }

        for (var i = 29; i >= 22; i--)
        {
            id[i] = Alphabet[(int)(low & 31)];
            low >>= 5;
        }

        return new string(id);
    }
}
