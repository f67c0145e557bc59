using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Request and response examples recorded from real calls, one file per operation in Api/OpenApiExamples
/// (<c>{operationId}.json</c>: its "request", and its "responses" by status), put into the document's operations.
/// OpenApiExamplesTests checks them against the document's schemas and replays the lead and scoring ones.
/// </summary>
public static class OperationExamples
{
    private const string ResourcePrefix = "OpenApiExamples.";

    private static readonly FrozenDictionary<string, JsonObject> ByOperation = typeof(OperationExamples).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .ToFrozenDictionary(
            name => Path.GetFileNameWithoutExtension(name[ResourcePrefix.Length..]),
            name =>
            {
                using var stream = typeof(OperationExamples).Assembly.GetManifestResourceStream(name)!;
                return JsonNode.Parse(stream)!.AsObject();
            });

    public static Task AddTo(OpenApiOperation operation)
    {
        if (operation.OperationId is null || !ByOperation.TryGetValue(operation.OperationId, out var examples))
        {
            return Task.CompletedTask;
        }

        if (examples["request"] is { } request && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
        {
            body.Example = request.DeepClone();
        }

        foreach (var (status, response) in examples["responses"]?.AsObject() ?? [])
        {
            if (operation.Responses?.TryGetValue(status, out var documented) == true && documented.Content?.Values.FirstOrDefault() is { } content)
            {
                content.Example = response!.DeepClone();
            }
        }

        return Task.CompletedTask;
    }
}
