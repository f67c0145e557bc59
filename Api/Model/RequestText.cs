using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using Microsoft.Extensions.Primitives;

namespace LeadScoring.Api.Model;

/// <summary>
/// The text the API accepts anywhere a client sends it (JSON strings and field names, query strings, route values,
/// form fields): Unicode text without control characters other than tab, line feed and carriage return. A lone
/// surrogate (which JSON lets through as an escape) is not text at all, and PostgreSQL refuses NUL in text, so
/// both are refused here, once, with a 400 naming the field: nothing hostile reaches a grain or the database.
/// </summary>
public static class RequestText
{
    /// <summary>At most this many fields are named in one answer.</summary>
    private const int MaxErrors = 20;

    /// <summary>Why <paramref name="text"/> is refused, or null when it is acceptable.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < ' ' && c is not ('\t' or '\n' or '\r'))
            {
                return $"holds the control character U+{(int)c:X4}";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "is not valid Unicode text (a lone surrogate)";
            }
        }

        return null;
    }

    /// <summary>
    /// Adds an error for every string value and field name of a JSON document that is not acceptable text.
    /// Only escapes (\u) can put such characters into valid JSON, so a document without any is not walked.
    /// </summary>
    public static void Check(ReadOnlySpan<byte> json, JsonElement root, List<ValidationError> errors)
    {
        if (json.IndexOf("\\u"u8) >= 0)
        {
            Check(root, "", errors);
        }
    }

    private static void Check(JsonElement element, string path, List<ValidationError> errors)
    {
        if (errors.Count >= MaxErrors)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (Decoded(property) is not { } name)
                    {
                        errors.Add(new(Field(path), "holds a field name that is not valid Unicode text (a lone surrogate)"));
                    }
                    else if (Problem(name) is { } reason)
                    {
                        errors.Add(new(Field(path), $"holds a field name that {reason}"));
                    }
                    else
                    {
                        Check(property.Value, JsonFields.Join(path, name), errors);
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, $"{path}[{index++}]", errors);
                }

                break;
            case JsonValueKind.String:
                if (Decoded(element) is not { } text)
                {
                    errors.Add(new(Field(path), "is not valid Unicode text (a lone surrogate)"));
                }
                else if (Problem(text) is { } problem)
                {
                    errors.Add(new(Field(path), problem));
                }

                break;
        }
    }

    private static string Field(string path) => path.Length == 0 ? "$" : path;

    // System.Text.Json refuses to decode an escaped lone surrogate into a string.
    private static string? Decoded(JsonElement text)
    {
        try
        {
            return text.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Decoded(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The query string's names and values, then the route's values, that are not acceptable text.</summary>
    public static List<ValidationError> Check(HttpRequest request)
    {
        var errors = new List<ValidationError>();
        Check(request.Query, "query", errors);
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && Problem(text) is { } problem)
            {
                errors.Add(new(name, problem));
            }
        }

        return errors;
    }

    /// <summary>Named values (a query string, form fields) that are not acceptable text; a bad name is reported as <paramref name="container"/>'s.</summary>
    public static void Check(IEnumerable<KeyValuePair<string, StringValues>> pairs, string container, List<ValidationError> errors)
    {
        foreach (var (name, values) in pairs)
        {
            if (Problem(name) is { } reason)
            {
                errors.Add(new(container, $"holds a parameter name that {reason}"));
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null && Problem(value) is { } problem)
                {
                    errors.Add(new(name, problem));
                }
            }
        }
    }
}
