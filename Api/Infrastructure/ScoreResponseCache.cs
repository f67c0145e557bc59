using System.Buffers.Text;
using System.Numerics;
using System.Text;
using System.Text.Json;
using LeadScoring.Api.Model;
using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.Json;
using LeadScoring.Api.Options;
using Microsoft.Extensions.Options;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// The JSON of recently read scores, so that reading a score that has not changed since this process last wrote
/// it out neither brings the score back from its lead nor maps and serializes it again: that was about a
/// quarter of a cached score read's CPU. Only scores without explanation or experiment are kept (what GET score
/// and single scoring return by default).
/// <para>
/// A read first looks for the lead here; if it finds a score, it asks the lead whether that is still its score
/// (<see cref="ILeadGrain.GetScoreIfChanged"/>, by scored_at and model version, which name a lead's score:
/// the lead stamps each new score later than the one before). The lead is the judge, so nothing here can
/// serve a score the lead no longer has.
/// </para>
/// <para>
/// A fixed number of slots (<see cref="ScoreResponseCacheOptions.Entries"/>), each lead in one of two given by the hash of its workspace and id: a lead
/// whose slots are both taken replaces one of their leads, so memory is bounded (about 2.5 KB a slot when
/// full) and nothing needs evicting. Slots are replaced whole, so concurrent readers see an old entry or a
/// new one, never a mix.
/// </para>
/// </summary>
public sealed class ScoreResponseCache
{
    private readonly JsonSerializerOptions _json;
    private readonly ScoreJson?[] _slots;

    public ScoreResponseCache(JsonSerializerOptions json, int entries)
    {
        _json = json;
        _slots = entries > 0 ? new ScoreJson?[(int)BitOperations.RoundUpToPowerOf2((uint)entries)] : [];
    }

    public static ScoreResponseCache FromServices(IServiceProvider services) => new(
        services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions,
        services.GetRequiredService<IOptions<ScoreResponseCacheOptions>>().Value.Entries);

    /// <summary>The lead's score as this process last wrote it, if it still holds it.</summary>
    public ScoreJson? Find(string workspace, string leadId)
    {
        if (_slots.Length == 0)
        {
            return null;
        }

        var (first, second) = Slots(workspace, leadId);
        return Volatile.Read(ref _slots[first]) is { } inFirst && inFirst.IsOf(workspace, leadId) ? inFirst
            : Volatile.Read(ref _slots[second]) is { } inSecond && inSecond.IsOf(workspace, leadId) ? inSecond
            : null;
    }

    /// <summary>Writes the score's JSON and keeps it for the lead's next reads.</summary>
    public ScoreJson Remember(string workspace, LeadScore score)
    {
        var json = new ScoreJson(workspace, score.LeadId, score.ModelVersion, score.ScoredAt, ScoreJson.Fragment(score, _json));
        if (_slots.Length > 0)
        {
            var (first, second) = Slots(workspace, score.LeadId);
            var replaced = ReplacesFirst(json, Volatile.Read(ref _slots[first]), Volatile.Read(ref _slots[second])) ? first : second;
            Volatile.Write(ref _slots[replaced], json);
        }

        return json;
    }

    // Two slots a lead may take, so that two hot leads rarely keep evicting each other (with one each, 5,000
    // leads in 16,384 slots missed a quarter of their reads).
    private (int First, int Second) Slots(string workspace, string leadId)
    {
        var hash = (uint)HashCode.Combine(workspace, leadId);
        var mask = (uint)(_slots.Length - 1);
        return ((int)(hash & mask), (int)(BitOperations.RotateLeft(hash, 16) & mask));
    }

    /// <summary>The slot of the lead's older score, else an empty one, else either (by the score's time).</summary>
    private static bool ReplacesFirst(ScoreJson json, ScoreJson? inFirst, ScoreJson? inSecond) =>
        inFirst is null ? inSecond?.IsOf(json.Workspace, json.LeadId) != true
        : inFirst.IsOf(json.Workspace, json.LeadId)
            || (inSecond is not null && !inSecond.IsOf(json.Workspace, json.LeadId) && (json.ScoredAt.Ticks & 1) == 0);
}

/// <summary>A lead's score as the API writes it, up to its "cached" member, with what names the score.</summary>
public sealed class ScoreJson(string workspace, string leadId, string modelVersion, DateTimeOffset scoredAt, byte[] fragment)
{
    private static readonly byte[] CachedTrue = "\"cached\":true}"u8.ToArray();
    private static readonly byte[] CachedFalse = "\"cached\":false}"u8.ToArray();

    public string Workspace { get; } = workspace;

    public string LeadId { get; } = leadId;

    public string ModelVersion { get; } = modelVersion;

    public DateTimeOffset ScoredAt { get; } = scoredAt;

    public bool IsOf(string workspace, string leadId) =>
        string.Equals(LeadId, leadId, StringComparison.Ordinal) && string.Equals(Workspace, workspace, StringComparison.Ordinal);

    /// <summary>The answer to a score read: the envelope around this JSON, closed with the read's own cache flag.</summary>
    public ScoreJsonResult Answer(bool cacheHit, double processingTimeMs) => new(fragment, cacheHit ? CachedTrue : CachedFalse, processingTimeMs);

    /// <summary>
    /// The score's JSON as <see cref="ScoreResponse"/> writes it, up to its "cached" member: the object is left
    /// open, so that each answer closes it with its own flag.
    /// </summary>
    public static byte[] Fragment(LeadScore score, JsonSerializerOptions options)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(ScoreResponse.From(score, cached: false), options);
        // The members after "cached" (explanation, experiment) are null here, so the flag closes the object.
        if (!json.AsSpan().EndsWith(CachedFalse))
        {
            throw new InvalidOperationException("A score's JSON must end with its \"cached\" member: " + Encoding.UTF8.GetString(json));
        }

        return json[..^CachedFalse.Length];
    }
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
