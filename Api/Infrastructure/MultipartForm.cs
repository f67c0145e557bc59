using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Api.Infrastructure;

/// <summary>Reading the multipart/form-data uploads (training and import) the same way: text checked, fields trimmed.</summary>
public static class MultipartForm
{
    public static bool Is(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The form, or the problem of a body that is not one.</summary>
    public static async Task<(IFormCollection? Form, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request)
    {
        try
        {
            return (await request.ReadFormAsync(), null);
        }
        catch (Exception malformed) when (malformed is IOException or InvalidDataException)
        {
            return (null, Problems.BadRequest("Malformed multipart body", $"The multipart/form-data body could not be read: {malformed.Message}"));
        }
    }

    /// <summary>
    /// Checks the form's text (<see cref="RequestText"/>) and returns its CSV, the file in field "file"; null, with
    /// the error added, when there is none or it is empty.
    /// </summary>
    public static IFormFile? CheckedCsv(IFormCollection form, List<ValidationError> errors)
    {
        RequestText.Check(form, "form", errors);
        if (form.Files.GetFile("file") is { Length: > 0 } file)
        {
            return file;
        }

        errors.Add(new("file", "a non-empty CSV file is required"));
        return null;
    }

    /// <summary>A field's trimmed text; null when it is absent or blank.</summary>
    public static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value.ToString()) ? value.ToString().Trim() : null;

    /// <summary>The bytes of an uploaded file.</summary>
    public static async Task<byte[]> BytesAsync(IFormFile file)
    {
        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes);
        return bytes.ToArray();
    }
}
