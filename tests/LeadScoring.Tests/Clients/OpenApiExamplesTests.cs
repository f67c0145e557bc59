using System.Text.Json.Nodes;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Clients;

/// <summary>
/// The document's examples (Api/OpenApiExamples, recorded from real calls) against its own schemas: every example
/// is in the document, every field of it is a field of its schema, and every field the schema requires is there.
/// OpenApiExamplesReplayTests shows that the lead and scoring ones are what the API answers today.
/// </summary>
[Trait("Category", "Unit")]
public class OpenApiExamplesTests
{
    [Fact]
    public void Every_recorded_example_is_in_the_document_and_matches_its_schema()
    {
        var recorded = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "Api", "OpenApiExamples"), "*.json")
            .SelectMany(file => Entries(Path.GetFileNameWithoutExtension(file), JsonNode.Parse(File.ReadAllText(file))!.AsObject()))
            .Order(StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        var inDocument = new List<string>();
        foreach (var operation in Operations())
        {
            var id = operation["operationId"]!.GetValue<string>();
            foreach (var (where, content) in Contents(operation))
            {
                if (content["example"] is { } example)
                {
                    inDocument.Add($"{id} {where}");
                    OpenApiSchemas.Conforms(example, content["schema"]!.AsObject(), $"{id} {where}", problems);
                }
            }
        }

        Assert.NotEmpty(recorded);
        Assert.Equal(recorded, inDocument.Order(StringComparer.Ordinal));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static IEnumerable<string> Entries(string operationId, JsonObject examples) =>
        (examples["request"] is null ? [] : new[] { $"{operationId} request" })
            .Concat(examples["responses"]!.AsObject().Select(r => $"{operationId} {r.Key}"));

    private static IEnumerable<JsonObject> Operations() =>
        OpenApiSchemas.Document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Where(o => o.Value is JsonObject { } op && op["operationId"] is not null).Select(o => o.Value!.AsObject()));

    private static IEnumerable<(string Where, JsonObject Content)> Contents(JsonObject operation)
    {
        foreach (var content in operation["requestBody"]?["content"]?.AsObject() ?? [])
        {
            yield return ("request", content.Value!.AsObject());
        }

        foreach (var (status, response) in operation["responses"]!.AsObject())
        {
            foreach (var content in response!["content"]?.AsObject() ?? [])
            {
                yield return (status, content.Value!.AsObject());
            }
        }
    }
}
