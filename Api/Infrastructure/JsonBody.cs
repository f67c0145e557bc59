using System.Buffers;
using System.Text.Json;
using LeadScoring.Api.Model;
using LeadScoring.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Api.Infrastructure;

/// <summary>A request body turned into a command, or why it could not be: a problem (400/413) or invalid fields.</summary>
public sealed record ParsedBody<T>(T? Command, ProblemHttpResult? Problem, ValidationProblem? Invalid) where T : class;

/// <summary>Reads a request body as a JSON document within the configured size limit.</summary>
public static class JsonBody
{
    /// <summary>Reads the body and parses it with <paramref name="parse"/>, which records shape errors in the fields.</summary>
    /// <remarks>
    /// The body is gathered in a pooled buffer (a fresh buffer per request was half of the API's allocations on
    /// the activities path). It is consumed from the request pipe as it arrives: holding it there unconsumed
    /// would stall a body larger than Kestrel's request buffer.
    /// </remarks>
    public static async Task<ParsedBody<T>> ParseAsync<T>(HttpRequest request, long maxBodyBytes, Func<JsonElement, JsonFields, T?> parse)
        where T : class
    {
        if (request.ContentLength > maxBodyBytes)
        {
            return new ParsedBody<T>(null, TooLarge(request, maxBodyBytes), null);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 4096, maxBodyBytes) + 1);
        var length = 0;
        try
        {
            var body = request.BodyReader;
            while (true)
            {
                var read = await body.ReadAsync(request.HttpContext.RequestAborted);
                if (length + read.Buffer.Length > maxBodyBytes)
                {
                    body.AdvanceTo(read.Buffer.End);
                    return new ParsedBody<T>(null, TooLarge(request, maxBodyBytes), null);
                }

                if (length + read.Buffer.Length > buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Max(2L * buffer.Length, length + read.Buffer.Length));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                read.Buffer.CopyTo(buffer.AsSpan(length));
                length += (int)read.Buffer.Length;
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            return Parse(buffer.AsMemory(0, length), parse);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    private static ParsedBody<T> Parse<T>(ReadOnlyMemory<byte> json, Func<JsonElement, JsonFields, T?> parse)
        where T : class
    {
        if (json.IsEmpty)
        {
            return new ParsedBody<T>(null, Problems.BadRequest("Malformed JSON", "The request body is empty; a JSON object is expected."), null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            return new ParsedBody<T>(null, Problems.BadRequest("Malformed JSON", $"The request body is not valid JSON: {e.Message}"), null);
        }

        using (document)
        {
            var fields = new JsonFields([]);
            RequestText.Check(json.Span, document.RootElement, fields.Errors);
            if (fields.Errors.Count > 0)
            {
                return new ParsedBody<T>(null, null, Problems.Invalid(fields.Errors));
            }

            var command = parse(document.RootElement, fields);
            return fields.Errors.Count > 0 || command is null
                ? new ParsedBody<T>(null, null, Problems.Invalid(fields.Errors))
                : new ParsedBody<T>(command, null, null);
        }
    }

    /// <summary>
    /// 413, closing the connection: the rest of the body is never read, so the connection cannot carry
    /// another request.
    /// </summary>
    private static ProblemHttpResult TooLarge(HttpRequest request, long maxBodyBytes)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return TypedResults.Problem(
            title: "Request body too large",
            detail: $"The request body exceeds the limit of {maxBodyBytes} bytes ({RequestLimitOptions.SectionName}:MaxBodyBytes).",
            statusCode: StatusCodes.Status413PayloadTooLarge);
    }
}
