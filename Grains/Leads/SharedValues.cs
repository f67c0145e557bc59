using System.Collections.Concurrent;
using System.Globalization;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// One instance of each short text that many leads hold (attribute names and categorical values, factor values,
/// channels, recommendations, workspace names, model versions, grades) instead of a copy per lead: a million
/// active leads otherwise hold a million copies of "industry". Bounded, because attribute values can be free
/// text: past <see cref="MaxEntries"/> texts (or for longer ones) the caller's own instance is kept.
/// </summary>
public static class SharedValues
{
    public const int MaxLength = 128;
    public const int MaxEntries = 200_000;

    private static readonly ConcurrentDictionary<string, string> Texts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> TextsBySpan =
        Texts.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly ConcurrentDictionary<string, LeadAttributeValue> TextAttributes = new(StringComparer.Ordinal);
    private static int _entries;

    public static string Text(string text) =>
        text.Length > MaxLength ? text : Texts.TryGetValue(text, out var shared) ? shared : Add(Texts, text, text);

    /// <summary>Allocates only the first time a text is seen.</summary>
    public static string Text(ReadOnlySpan<char> text) =>
        text.Length <= MaxLength && TextsBySpan.TryGetValue(text, out var shared) ? shared : Text(new string(text));

    /// <summary>The number as round-trip text ("R").</summary>
    public static string Number(double number)
    {
        Span<char> text = stackalloc char[32];
        return number.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture) ? Text(text[..written]) : number.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Text values are immutable records, so equal ones can be one instance.</summary>
    public static LeadAttributeValue Attribute(LeadAttributeValue value) =>
        value is not { Kind: LeadAttributeKind.Text, Text: { Length: <= MaxLength } text } ? value
        : TextAttributes.TryGetValue(text, out var shared) ? shared
        : Add(TextAttributes, Text(text), value with { Text = Text(text) });

    private static T Add<T>(ConcurrentDictionary<string, T> pool, string key, T value)
    {
        if (Volatile.Read(ref _entries) >= MaxEntries)
        {
            return value;
        }

        var shared = pool.GetOrAdd(key, value);
        if (ReferenceEquals(shared, value))
        {
            Interlocked.Increment(ref _entries);
        }

        return shared;
    }
}
