using System.Text.Json.Nodes;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Clients;

/// <summary>The checked-in OpenAPI document (Client/openapi.json, equal to the served one) and a check of JSON against its schemas.</summary>
public static class OpenApiSchemas
{
    public static JsonObject Document { get; } = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Client", "openapi.json")))!.AsObject();

    /// <summary>The schema of <paramref name="operationId"/>'s answer with <paramref name="status"/>.</summary>
    public static JsonObject ResponseSchema(string operationId, string status) =>
        Document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(o => o.Value))
            .OfType<JsonObject>().Single(o => o["operationId"]?.GetValue<string>() == operationId)
            ["responses"]![status]!["content"]!.AsObject().First().Value!["schema"]!.AsObject();

    /// <summary>Adds to <paramref name="problems"/> each way <paramref name="value"/> departs from <paramref name="schema"/>: a field it does not have, a field it requires.</summary>
    public static void Conforms(JsonNode? value, JsonObject schema, string path, List<string> problems)
    {
        schema = Resolved(schema);
        if (schema["oneOf"] is JsonArray alternatives)
        {
            var chosen = alternatives.Select(a => Resolved(a!.AsObject())).Where(a => (value is null) == (a["type"]?.ToString() == "null")).ToList();
            if (chosen.Count == 0)
            {
                problems.Add($"{path}: matches no alternative");
            }
            else if (value is not null)
            {
                Conforms(value, chosen[0], path, problems);
            }

            return;
        }

        switch (value)
        {
            case JsonObject fields:
                var properties = schema["properties"]?.AsObject();
                foreach (var (name, field) in fields)
                {
                    if (properties?[name] is JsonObject property)
                    {
                        Conforms(field, property, $"{path}.{name}", problems);
                    }
                    else if (schema["additionalProperties"] is JsonObject additional)
                    {
                        Conforms(field, additional, $"{path}.{name}", problems);
                    }
                    else if (schema["additionalProperties"] is null && properties is not null)
                    {
                        problems.Add($"{path}.{name}: not a field of the schema");
                    }
                }

                foreach (var required in schema["required"]?.AsArray() ?? [])
                {
                    if (!fields.ContainsKey(required!.GetValue<string>()))
                    {
                        problems.Add($"{path}: the schema requires {required}");
                    }
                }

                break;
            case JsonArray items when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < items.Count; i++)
                {
                    Conforms(items[i], itemSchema, $"{path}[{i}]", problems);
                }

                break;
        }
    }

    private static JsonObject Resolved(JsonObject schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? Document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!.AsObject()
            : schema;
}
