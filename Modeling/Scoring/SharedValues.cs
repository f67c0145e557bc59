using System.Collections.Concurrent;
using System.Globalization;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Scoring;

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
    private static readonly ConcurrentDictionary<double, LeadAttributeValue> NumberAttributes = new();
    private static readonly LeadAttributeValue True = LeadAttributeValue.OfBoolean(true), False = LeadAttributeValue.OfBoolean(false);

    // Factor values are numbers formatted on every rescore; looking the number up skips the formatting.
    private static readonly ConcurrentDictionary<double, string> NumberTexts = new();
    private static readonly ConcurrentDictionary<IReadOnlyList<string>, IReadOnlyList<string>> TextLists = new(TextListComparer.Instance);
    private static readonly ConcurrentDictionary<ScoreRecommendations, ScoreRecommendations> RecommendationSets = new(RecommendationsComparer.Instance);
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

    /// <summary>Attribute values are immutable records, so equal ones can be one instance (company sizes repeat too).</summary>
    public static LeadAttributeValue Attribute(LeadAttributeValue value) => value switch
    {
        { Kind: LeadAttributeKind.Text, Text: { Length: <= MaxLength } text } =>
            TextAttributes.TryGetValue(text, out var shared) ? shared : Add(TextAttributes, Text(text), value with { Text = Text(text) }),
        // Negative zero is the same key as zero but not the same value: it keeps its own instance.
        { Kind: LeadAttributeKind.Number, Number: var number } when !double.IsNegative(number) || number != 0 =>
            NumberAttributes.TryGetValue(number, out var shared) ? shared : Add(NumberAttributes, number, value),
        { Kind: LeadAttributeKind.Boolean, Boolean: var flag } => flag ? True : False,
        _ => value,
    };

    /// <summary>A list of texts (a score's opportunities): most leads are offered one of a few combinations.</summary>
    public static IReadOnlyList<string> TextList(IReadOnlyList<string> texts) =>
        texts.Count == 0 ? [] : TextLists.TryGetValue(texts, out var shared) ? shared : Add(TextLists, texts, texts);

    /// <summary>Recommendations: the same few actions, contact times and channels recur across leads.</summary>
    public static ScoreRecommendations Recommendations(ScoreRecommendations recommendations) =>
        RecommendationSets.TryGetValue(recommendations, out var shared) ? shared : Add(RecommendationSets, recommendations, recommendations);

    public static bool SameTextList(IReadOnlyList<string> a, IReadOnlyList<string> b) => TextListComparer.Instance.Equals(a, b);

    public static bool SameRecommendations(ScoreRecommendations a, ScoreRecommendations b) => RecommendationsComparer.Instance.Equals(a, b);

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

    private sealed class TextListComparer : IEqualityComparer<IReadOnlyList<string>>
    {
        public static readonly TextListComparer Instance = new();

        public bool Equals(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
            ReferenceEquals(a, b) || (a is not null && b is not null && a.SequenceEqual(b, StringComparer.Ordinal));

        public int GetHashCode(IReadOnlyList<string> texts)
        {
            var hash = new HashCode();
            foreach (var text in texts)
            {
                hash.Add(text, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }

    private sealed class RecommendationsComparer : IEqualityComparer<ScoreRecommendations>
    {
        public static readonly RecommendationsComparer Instance = new();

        public bool Equals(ScoreRecommendations? a, ScoreRecommendations? b) =>
            ReferenceEquals(a, b) || (a is not null && b is not null
                && a.NextBestAction == b.NextBestAction && a.OptimalContactTime == b.OptimalContactTime && a.BestChannel == b.BestChannel
                && TextListComparer.Instance.Equals(a.Content, b.Content));

        public int GetHashCode(ScoreRecommendations recommendations) => HashCode.Combine(
            recommendations.NextBestAction, recommendations.OptimalContactTime, recommendations.BestChannel,
            TextListComparer.Instance.GetHashCode(recommendations.Content));
    }
}
