using System.Buffers.Text;

namespace LeadScoring.Common;

/// <summary>
/// Doubles that hold a decimal of at most six places, written as that decimal. The text reads back as the same
/// double and is the shortest that does: two decimals of at most 15 significant digits never share a double.
/// </summary>
public static class PlainDecimal
{
    private const long Scale = 1_000_000;

    /// <summary>Below this, value × 10^6 is an integer a double holds exactly (2^53 ≈ 9·10^15), at most 15 digits.</summary>
    private const double Limit = 1e9;

    /// <summary>The value as a plain decimal (no exponent, no trailing zeros), when it is one of at most six places below 10^9.</summary>
    public static bool TryFormat(double value, Span<byte> utf8, out int written)
    {
        written = 0;
        if (!(Math.Abs(value) < Limit))
        {
            return false;
        }

        var scaled = Math.Round(value * Scale);
        if (scaled / Scale != value)
        {
            return false;
        }

        var units = (long)scaled;
        if (units < 0)
        {
            utf8[written++] = (byte)'-';
            units = -units;
        }

        Utf8Formatter.TryFormat(units / Scale, utf8[written..], out var whole);
        written += whole;
        var fraction = units % Scale;
        if (fraction == 0)
        {
            return true;
        }

        utf8[written++] = (byte)'.';
        var digits = 6;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        for (var i = digits - 1; i >= 0; i--)
        {
            utf8[written + i] = (byte)('0' + fraction % 10);
            fraction /= 10;
        }

        written += digits;
        return true;
    }
}
