using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

/// <summary>
/// The lead list's query string: grade (comma-separated), min_score, max_score, trend, scored_since, attribute[name]=value, sort
/// (score, updated_at or lead_id; "-" for descending; default -score), limit (1-200, default 50) and cursor (as the
/// previous page gave it).
/// </summary>
public static class LeadIndexRequests
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private static readonly string[] Known = ["grade", "min_score", "max_score", "trend", "scored_since", "sort", "limit", "cursor"];

    public static LeadIndexQuery? Parse(IQueryCollection query, List<ValidationError> errors)
    {
        foreach (var key in query.Keys.Where(k => !Known.Contains(k) && !IsAttribute(k)))
        {
            errors.Add(new ValidationError(key, "is not a filter of the lead list"));
        }

        var grades = query["grade"].ToString() is { Length: > 0 } gradeText
            ? gradeText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : null;
        foreach (var grade in grades?.Where(g => g is not ("A" or "B" or "C" or "D")) ?? [])
        {
            errors.Add(new ValidationError("grade", $"'{grade}' is not a grade; the grades are A, B, C and D"));
        }

        var minScore = Score(query, "min_score", errors);
        var maxScore = Score(query, "max_score", errors);
        ScoreTrend? trend = null;
        if (query["trend"].ToString() is { Length: > 0 } trendText)
        {
            trend = trendText switch
            {
                "improving" => ScoreTrend.Improving,
                "declining" => ScoreTrend.Declining,
                "steady" => ScoreTrend.Steady,
                _ => null,
            };
            if (trend is null)
            {
                errors.Add(new ValidationError("trend", "must be improving, declining or steady"));
            }
        }

        DateTimeOffset? scoredSince = null;
        if (query["scored_since"].ToString() is { Length: > 0 } sinceText)
        {
            if (DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                scoredSince = since;
            }
            else
            {
                errors.Add(new ValidationError("scored_since", "must be a time, e.g. 2026-12-06T00:00:00Z"));
            }
        }

        var sortText = query["sort"].ToString() is { Length: > 0 } s ? s : "-score";
        var descending = sortText.StartsWith('-');
        LeadIndexSortField? sort = sortText.TrimStart('-') switch
        {
            "score" => LeadIndexSortField.Score,
            "updated_at" => LeadIndexSortField.UpdatedAt,
            "lead_id" => LeadIndexSortField.LeadId,
            _ => null,
        };
        if (sort is null)
        {
            errors.Add(new ValidationError("sort", "must be score, updated_at or lead_id, with a leading - for descending"));
        }

        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.Add(new ValidationError("limit", $"must be a whole number from 1 to {MaxLimit}"));
        }

        var attributes = query.Keys.Where(IsAttribute).ToDictionary(k => k["attribute[".Length..^1], k => query[k].ToString(), StringComparer.Ordinal);
        LeadIndexCursor? after = null;
        if (query["cursor"].ToString() is { Length: > 0 } cursorText && (after = Cursor(cursorText, sortText)) is null)
        {
            errors.Add(new ValidationError("cursor", "is not a cursor of this list and sort: pass next_cursor as the previous page gave it"));
        }

        return errors.Count > 0 ? null : new LeadIndexQuery(grades, minScore, maxScore, trend, attributes, sort!.Value, descending, limit, after, scoredSince);
    }

    /// <summary>The cursor as the client carries it: the page's end and the sort it belongs to, opaque.</summary>
    public static string CursorText(LeadIndexCursor cursor, string sort) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new CursorForm(cursor, sort)));

    /// <summary>The sort as the query string names it.</summary>
    public static string SortText(LeadIndexQuery query) =>
        (query.Descending ? "-" : "") + query.Sort switch { LeadIndexSortField.Score => "score", LeadIndexSortField.UpdatedAt => "updated_at", _ => "lead_id" };

    private static LeadIndexCursor? Cursor(string text, string sort)
    {
        try
        {
            var form = JsonSerializer.Deserialize<CursorForm>(Base64Url.DecodeFromChars(text));
            return form is { Cursor: { LeadId: not null } cursor } && form.Sort == sort ? cursor : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static double? Score(IQueryCollection query, string name, List<ValidationError> errors)
    {
        if (query[name].ToString() is not { Length: > 0 } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && score is >= 0 and <= 100)
        {
            return score;
        }

        errors.Add(new ValidationError(name, "must be a score from 0 to 100"));
        return null;
    }

    private static bool IsAttribute(string key) => key.StartsWith("attribute[", StringComparison.Ordinal) && key.EndsWith(']') && key.Length > "attribute[]".Length;

    private sealed record CursorForm(LeadIndexCursor Cursor, string Sort);
}
