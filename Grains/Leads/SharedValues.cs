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

    // Factor values are numbers formatted on every rescore; looking the number up skips the formatting.
    private static readonly ConcurrentDictionary<double, string> NumberTexts = new();
    private static int _entries;

    public static string Text(string text) =>
        text.Length > MaxLength ? text : Texts.TryGetValue(text, out var shared) ? shared : Add(Texts, text, text);

    /// <summary>Allocates only the first time a text is seen.</summary>
    public static string Text(ReadOnlySpan<char> text) =>
        text.Length <= MaxLength && TextsBySpan.TryGetValue(text, out var shared) ? shared : Text(new string(text));

    /// <summary>The number as round-trip text ("R"), negative zero as "0".</summary>
    public static string Number(double number)
    {
        // Zero and negative zero are equal keys: both are shown as "0", whichever came first.
        number = number == 0 ? 0 : number;
        if (NumberTexts.TryGetValue(number, out var shared))
        {
            return shared;
        }

        Span<char> text = stackalloc char[32];
        var formatted = number.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture) ? Text(text[..written]) : number.ToString("R", CultureInfo.InvariantCulture);
        return Add(NumberTexts, number, formatted);
    }

    /// <summary>Text values are immutable records, so equal ones can be one instance.</summary>
    public static LeadAttributeValue Attribute(LeadAttributeValue value) =>
        value is not { Kind: LeadAttributeKind.Text, Text: { Length: <= MaxLength } text } ? value
        : TextAttributes.TryGetValue(text, out var shared) ? shared
        : Add(TextAttributes, Text(text), value with { Text = Text(text) });

    private static T Add<TKey, T>(ConcurrentDictionary<TKey, T> pool, TKey key, T value) where TKey : notnull
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
