using System.Globalization;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

/// <summary>
/// Typed reads of JSON fields that record a <see cref="ValidationError"/> (JSON path and reason) instead of
/// throwing, so that one response can name every invalid field.
/// </summary>
public sealed class JsonFields(List<ValidationError> errors)
{
    public List<ValidationError> Errors => errors;

    public bool RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors.Add(new(path.Length == 0 ? "$" : path, "must be a JSON object"));
        return false;
    }

    /// <summary>Records each property of <paramref name="element"/> that the documented body <typeparamref name="TBody"/> does not have.</summary>
    public void RejectUnknown<TBody>(JsonElement element, string path) => RejectUnknown(element, path, BodyFields<TBody>.Names);

    private void RejectUnknown(JsonElement element, string path, string[] known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(new(Join(path, property.Name), $"unknown field; expected one of: {string.Join(", ", known)}"));
            }
        }
    }

    public string? String(JsonElement parent, string path, string name, bool required)
    {
        if (!Present(parent, name, out var value))
        {
            if (required)
            {
                errors.Add(new(Join(path, name), "is required"));
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add(new(Join(path, name), "must be a string"));
        return null;
    }

    public bool? Boolean(JsonElement parent, string path, string name, bool required)
    {
        if (!Present(parent, name, out var value))
        {
            if (required)
            {
                errors.Add(new(Join(path, name), "is required"));
            }

            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add(new(Join(path, name), "must be true or false"));
        return null;
    }

    public double? Number(JsonElement parent, string path, string name)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }

        errors.Add(new(Join(path, name), "must be a finite number"));
        return null;
    }

    /// <summary>An ISO 8601 timestamp; one without an offset is taken as UTC.</summary>
    public DateTimeOffset? Timestamp(JsonElement parent, string path, string name, bool required)
    {
        var text = String(parent, path, name, required);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUniversalTime();
        }

        errors.Add(new(Join(path, name), "must be an ISO 8601 timestamp such as 2026-01-31T14:05:00Z"));
        return null;
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>True when the field exists and is not null; an explicit null counts as absent.</summary>
    private static bool Present(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A body type's field names on the wire (the API's snake_case naming).</summary>
    private static class BodyFields<TBody>
    {
        public static readonly string[] Names = [.. typeof(TBody).GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))];
    }
}
