using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadScoring.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Tests.Clients;

/// <summary>
/// The OpenAPI document against the routes the API maps: every operation of /api and /health is in it, named,
/// summarized, described, tagged once and with its problems; nothing else is (the Orleans dashboard's routes are its own).
/// A new endpoint cannot ship undocumented.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class OpenApiContractTests(SiloOnlyClusterFixture fixture) : IClassFixture<SiloOnlyClusterFixture>
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    [Fact]
    public async Task The_document_has_exactly_the_mapped_operations_each_named_summarized_described_tagged_once_and_with_its_problems()
    {
        await using var api = await InProcessApi.StartAsync(fixture.Cluster);
        using var admin = api.CreateClient();
        var document = await admin.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var mapped = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => Normalized(e.RoutePattern.RawText!) is var path && (path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/health", StringComparison.Ordinal)))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m.ToLowerInvariant()} {Normalized(e.RoutePattern.RawText!)}"))
            .Order(StringComparer.Ordinal).ToList();

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)).Select(o => (Key: $"{o.Name} {path.Name}", Operation: o.Value)))
            .ToList();

        Assert.Equal(mapped, operations.Select(o => o.Key).Order(StringComparer.Ordinal));
        var operationIds = operations.Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null).ToList();
        Assert.All(operationIds, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(operationIds.Count, operationIds.Distinct().Count());
        var declaredTags = document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToHashSet();
        foreach (var (key, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0, $"{key} has no summary");
            Assert.True(operation.TryGetProperty("description", out var description) && description.GetString()!.Length > summary.GetString()!.Length, $"{key} has no description (OperationDescriptions)");
            var tags = operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
            Assert.True(tags.Count == 1 && declaredTags.Contains(tags[0]), $"{key} is tagged {string.Join(", ", tags)}");
            var statuses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            if (key.Contains(" /api/", StringComparison.Ordinal))
            {
                Assert.True(statuses.Contains("401") && statuses.Contains("429") && statuses.Contains("503"), $"{key} answers {string.Join(", ", statuses)}");
            }
            else
            {
                Assert.Equal(0, operation.GetProperty("security").GetArrayLength());
            }
        }
    }

    [Fact]
    public async Task The_typed_clients_document_is_the_one_the_API_serves()
    {
        await using var api = await InProcessApi.StartAsync(fixture.Cluster);
        using var admin = api.CreateClient();
        var served = (await admin.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        served.Remove("servers");
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Client", "openapi.json")))!;

        // On failure: scripts/generate-client.sh writes the served document to Client/openapi.json and regenerates the client.
        Assert.True(JsonNode.DeepEquals(served, checkedIn), "Client/openapi.json is not the document the API serves: run scripts/generate-client.sh");
    }

    /// <summary>A route as the document writes it: no trailing slash, parameters without constraints.</summary>
    private static string Normalized(string route)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(route, @"\{(\w+)(:[^}]*)?\}", "{$1}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }
}
