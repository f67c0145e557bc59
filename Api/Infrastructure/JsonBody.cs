using System.Text.Json;
using LeadScoring.Api.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Api.Infrastructure;

/// <summary>A request body turned into a command, or why it could not be: a problem (400/413) or invalid fields.</summary>
public sealed record ParsedBody<T>(T? Command, ProblemHttpResult? Problem, ValidationProblem? Invalid) where T : class;

/// <summary>Reads a request body as a JSON document within the configured size limit.</summary>
public static class JsonBody
{
    /// <summary>Reads the body and parses it with <paramref name="parse"/>, which records shape errors in the fields.</summary>
    public static async Task<ParsedBody<T>> ParseAsync<T>(HttpRequest request, RequestLimits limits, Func<JsonElement, JsonFields, T?> parse)
        where T : class
    {
        var (document, problem) = await ReadAsync(request, limits);
        if (document is null)
        {
            return new ParsedBody<T>(null, problem, null);
        }

        using (document)
        {
            var fields = new JsonFields([]);
            var command = parse(document.RootElement, fields);
            return fields.Errors.Count > 0 || command is null
                ? new ParsedBody<T>(null, null, Problems.Invalid(fields.Errors))
                : new ParsedBody<T>(command, null, null);
        }
    }

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    /// <returns>The document, or the problem to answer with (413 over the limit, 400 for malformed JSON).</returns>
    private static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, RequestLimits limits)
    {
        if (request.ContentLength > limits.MaxBodyBytes)
        {
            return (null, TooLarge(request, limits));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limits.MaxBodyBytes)
            {
                return (null, TooLarge(request, limits));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.BadRequest("Malformed JSON", "The request body is empty; a JSON object is expected."));
        }

        try
        {
            return (JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), DocumentOptions), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest("Malformed JSON", $"The request body is not valid JSON: {e.Message}"));
        }
    }

    /// <summary>
    /// 413, closing the connection: the rest of the body is never read, so the connection cannot carry
    /// another request.
    /// </summary>
    private static ProblemHttpResult TooLarge(HttpRequest request, RequestLimits limits)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return TypedResults.Problem(
            title: "Request body too large",
            detail: $"The request body exceeds the limit of {limits.MaxBodyBytes} bytes ({RequestLimits.Variable}).",
            statusCode: StatusCodes.Status413PayloadTooLarge);
    }
}
