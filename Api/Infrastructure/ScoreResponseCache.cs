using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using LeadScoring.Api.Model;
using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// The JSON of recently read scores, so that reading a score that has not changed since it was last written out
/// does not map and serialize it again: that was about a fifth of a cached score read's CPU. Only a score
/// without explanation or experiment is kept (what GET score and single scoring return by default).
/// <para>
/// A score is known by its lead, workspace, model version, scored_at and headline figures. A lead stamps each
/// score it computes with the time it computed it (100 ns ticks, and every rescore of a lead takes longer than
/// that), and everything else in the score (factors, dimensions, recommendations) follows from the lead as it
/// was at that moment and the model, so two scores that agree on all of these are the same score.
/// </para>
/// <para>
/// One slot per hash of workspace and lead, <see cref="Capacity"/> slots: a lead that lands on another's slot
/// replaces it, so memory is bounded (about 2.5 KB a slot when full) and nothing needs evicting. Slots are
/// replaced whole, so concurrent readers see an old entry or a new one, never a mix.
/// </para>
/// </summary>
public sealed class ScoreResponseCache
{
    public const string EntriesSetting = "LeadScoring:ScoreResponseCache:Entries";
    public const int DefaultEntries = 16_384;

    private static readonly byte[] CachedTrue = "\"cached\":true}"u8.ToArray();
    private static readonly byte[] CachedFalse = "\"cached\":false}"u8.ToArray();

    private readonly JsonSerializerOptions _json;
    private readonly Entry?[] _slots;
    private long _hits;
    private long _misses;

    public ScoreResponseCache(JsonSerializerOptions json, int entries)
    {
        _json = json;
        _slots = entries > 0 ? new Entry?[(int)BitOperations.RoundUpToPowerOf2((uint)entries)] : [];
    }

    public static ScoreResponseCache FromServices(IServiceProvider services) => new(
        services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions,
        int.TryParse(services.GetRequiredService<IConfiguration>()[EntriesSetting], NumberStyles.None, CultureInfo.InvariantCulture, out var entries)
            ? entries : DefaultEntries);

    public int Capacity => _slots.Length;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The answer to a score read: the envelope around the score's JSON, written without serializing the score when it is cached here.</summary>
    public ScoreJsonResult Answer(string workspace, LeadScore score, bool cacheHit, double processingTimeMs) =>
        new(FragmentOf(workspace, score), cacheHit ? CachedTrue : CachedFalse, processingTimeMs);

    /// <summary>
    /// The score's JSON as <see cref="ScoreResponse"/> writes it, up to its "cached" member: the object is left
    /// open, so that the answer closes it with the read's own cache flag.
    /// </summary>
    public byte[] FragmentOf(string workspace, LeadScore score)
    {
        if (_slots.Length == 0)
        {
            return Fragment(score);
        }

        var key = ScoreKey.Of(workspace, score);
        ref var slot = ref _slots[(uint)HashCode.Combine(workspace, score.LeadId) & (uint)(_slots.Length - 1)];
        if (Volatile.Read(ref slot) is { } entry && entry.Key == key)
        {
            Interlocked.Increment(ref _hits);
            return entry.Fragment;
        }

        Interlocked.Increment(ref _misses);
        var fragment = Fragment(score);
        Volatile.Write(ref slot, new Entry(key, fragment));
        return fragment;
    }

    private byte[] Fragment(LeadScore score)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(ScoreResponse.From(score, cached: false), _json);
        // The members after "cached" (explanation, experiment) are null here, so the flag closes the object.
        if (!json.AsSpan().EndsWith(CachedFalse))
        {
            throw new InvalidOperationException("A score's JSON must end with its \"cached\" member: " + Encoding.UTF8.GetString(json));
        }

        return json[..^CachedFalse.Length];
    }

    private readonly record struct ScoreKey(
        string Workspace, string LeadId, string ModelVersion, DateTimeOffset ScoredAt, string Grade,
        double OverallScore, double ConversionProbability, double Confidence, ScoreTrend Trend, ScoreTrigger Trigger)
    {
        public static ScoreKey Of(string workspace, LeadScore score) => new(workspace, score.LeadId, score.ModelVersion, score.ScoredAt,
            score.Grade, score.OverallScore, score.ConversionProbability, score.Confidence, score.Trend, score.Trigger);
    }

    private sealed record Entry(ScoreKey Key, byte[] Fragment);
}

/// <summary>
/// {"success":true,"data":{...score...,"cached":…},"processing_time_ms":…}, byte for byte what
/// <c>Ok(ScoringEnvelope&lt;ScoreResponse&gt;)</c> writes, from the score's cached JSON.
/// </summary>
public sealed class ScoreJsonResult(byte[] fragment, byte[] cachedMember, double processingTimeMs) : IResult, IStatusCodeHttpResult
{
    private static readonly byte[] Opening = "{\"success\":true,\"data\":"u8.ToArray();
    private static readonly byte[] Timing = ",\"processing_time_ms\":"u8.ToArray();

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        Span<byte> elapsed = stackalloc byte[32];
        var elapsedLength = FormatMilliseconds(Math.Round(processingTimeMs, 3), elapsed);
        var length = Opening.Length + fragment.Length + cachedMember.Length + Timing.Length + elapsedLength + 1;
        response.ContentLength = length;
        var writer = response.BodyWriter;
        var span = writer.GetSpan(length);
        var at = 0;
        foreach (var part in (ReadOnlySpan<byte[]>)[Opening, fragment, cachedMember, Timing])
        {
            part.CopyTo(span[at..]);
            at += part.Length;
        }

        elapsed[..elapsedLength].CopyTo(span[at..]);
        span[length - 1] = (byte)'}';
        writer.Advance(length);
        var flush = writer.FlushAsync(httpContext.RequestAborted);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }

    /// <summary>As <see cref="RoundedDoubleConverter"/> writes it (a time rounded to 3 places is always a plain decimal).</summary>
    private static int FormatMilliseconds(double value, Span<byte> utf8) =>
        PlainDecimal.TryFormat(value, utf8, out var written) || Utf8Formatter.TryFormat(value, utf8, out written) ? written : 0;
}
