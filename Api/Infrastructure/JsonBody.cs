using System.Text.Json;

namespace LeadScoring.Api.Infrastructure;

/// <summary>Reads a request body as a JSON document within the configured size limit.</summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    /// <returns>The document, or the problem to answer with (413 over the limit, 400 for malformed JSON).</returns>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, RequestLimits limits)
    {
        if (request.ContentLength > limits.MaxBodyBytes)
        {
            return (null, TooLarge(limits));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limits.MaxBodyBytes)
            {
                return (null, TooLarge(limits));
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

    private static IResult TooLarge(RequestLimits limits) => TypedResults.Problem(
        title: "Request body too large",
        detail: $"The request body exceeds the limit of {limits.MaxBodyBytes} bytes ({RequestLimits.Variable}).",
        statusCode: StatusCodes.Status413PayloadTooLarge);
}
