using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public sealed class FuzzClusterFixture : IAsyncLifetime
{
    public ProductCluster Cluster { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ProductCluster.StartAsync(
            apiEnvironment: new Dictionary<string, string> { ["LeadScoring__RateLimits__PerSubject__PerSecond"] = "100000", ["LeadScoring__RateLimits__PerSubject__Burst"] = "100000" },
            siloEnvironment: new Dictionary<string, string> { ["LEADSCORING_INITIAL_MODEL"] = "simulated" });
        Api = Cluster.CreateApiClient();
        (await Api.PostAsJsonAsync("/api/leads", new { lead_id = "fuzz-1", attributes = new { industry = "retail", size = 40 } })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Cluster.DisposeAsync();
    }
}

/// <summary>
/// Generated hostile requests across every endpoint, from a fixed seed: whatever a client sends, the answer is
/// never a 5xx (the database and the cluster are up throughout), and the cluster still serves afterwards.
/// </summary>
public class ApiFuzzTests(FuzzClusterFixture fixture) : IClassFixture<FuzzClusterFixture>
{
    private const int Requests = 3_000;
    private const string Hostile = "@@hostile@@";

    private static readonly string Recent = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");

    /// <summary>Every endpoint with a valid body (null for none); "{id}" is where a lead id goes.</summary>
    private static readonly (string Method, string Path, Func<JsonNode?> Body)[] Endpoints =
    [
        ("POST", "/api/leads", () => JsonNode.Parse("""{"lead_id": "fuzz-2", "attributes": {"industry": "retail", "size": 12, "vip": true}, "email": "a@b.example", "name": "Ann", "phone": "+1 555", "consent": {"profiling": true, "marketing": false}}""")),
        ("GET", "/api/leads/{id}", () => null),
        ("POST", "/api/leads/{id}/consent", () => JsonNode.Parse("""{"profiling": true, "marketing": true}""")),
        ("GET", "/api/leads/{id}/export", () => null),
        ("POST", "/api/leads/{id}/activities", () => JsonNode.Parse($$$"""{"activities": [{"activity_id": "a-1", "type": "page_view", "occurred_at": "{{{Recent}}}", "properties": {"url": "https://x.example/p", "channel": "web", "duration_seconds": 30, "content_id": "c-1"}}]}""")),
        ("POST", "/api/leads/activities/batch", () => JsonNode.Parse($$"""{"activities": [{"lead_id": "fuzz-1", "activity_id": "b-1", "type": "email_open", "occurred_at": "{{Recent}}"}]}""")),
        ("POST", "/api/leads/{id}/outcome", () => JsonNode.Parse("""{"converted": true, "deal_value": 1200.5, "closed_at": "2026-01-02T03:04:05Z"}""")),
        ("POST", "/api/ai/scoring/model/train", () => JsonNode.Parse("""{"source": "history", "exclude_leaky": true, "fairness_column": "industry", "blend": "fixed"}""")),
        ("GET", "/api/ai/scoring/model/train/{id}", () => null),
        ("GET", "/api/ai/scoring/models", () => null),
        ("GET", "/api/ai/scoring/models/{id}", () => null),
        ("POST", "/api/ai/scoring/score/single", () => JsonNode.Parse("""{"lead_id": "fuzz-1", "include_insights": true, "experiment_id": "exp-1"}""")),
        ("GET", "/api/ai/scoring/score/{id}?include_insights=true", () => null),
        ("GET", "/api/ai/scoring/score/{id}/history", () => null),
        ("POST", "/api/ai/scoring/score/batch", () => JsonNode.Parse("""{"leads": [{"lead_id": "fuzz-1"}, {"lead_id": "fuzz-2"}], "include_insights": false}""")),
        ("GET", "/api/ai/scoring/performance/metrics", () => null),
        ("POST", "/api/ai/scoring/abtest/create", () => JsonNode.Parse("""{"experiment_id": "exp-1", "variants": ["control", "treatment"], "traffic_split": [0.5, 0.5], "hypothesis": "h", "primary_metric": "conversion_rate", "minimum_detectable_effect": 0.1}""")),
        ("GET", "/api/ai/scoring/abtest", () => null),
        ("GET", "/api/ai/scoring/abtest/{id}", () => null),
        ("POST", "/api/ai/scoring/abtest/{id}/stop", () => JsonNode.Parse("""{"promote_winner": false}""")),
        ("GET", "/api/ai/scoring/drift", () => null),
        ("GET", "/api/ai/scoring/retraining", () => null),
        ("GET", "/api/audit?action=lead.upsert&limit=5", () => null),
    ];

    /// <summary>Text no server should choke on: lone surrogates, NUL and other controls, odd Unicode, sizes.</summary>
    private static readonly string[] HostileTexts =
    [
        "\\ud800", "\\udfff", "a\\ud800b", "\\u0000", "x\\u0000", "\\u0001\\u001f", "\\u007f", "\\u202e\\u0041", "\\ufeff", "\\uffff",
        "\\ud83d\\ude00", "e\\u0301", "", " ", "null", "0", "-1", "1e309", "' OR 1=1 --", "<script>", "../../etc/passwd", "%00",
        "ü", "日本語", new string('x', 5_000), "\\\\", "\\\"", "{}", "[]",
    ];

    /// <summary>What may stand in a lead id's (or version's, job's, experiment's) place in a path.</summary>
    private static readonly string[] HostileIds =
    [
        "fuzz-1", "nobody", "..", "%2e%2e", "a%2Fb", "a%20b", "%C3%BC", "%FF", "%E2%80%AE", "%F0%9F%98%80", new string('i', 300),
        "a;b", "a,b", "%25", "v1", "-", "_", "a.b", "%7B%7D", "0",
    ];

    private static readonly JsonNode?[] WrongTypes =
    [
        JsonValue.Create(1), JsonValue.Create(-1.5), JsonValue.Create(true), JsonValue.Create("text"), new JsonArray(), new JsonObject(),
        null, JsonValue.Create(long.MaxValue), new JsonArray(JsonValue.Create(1), JsonValue.Create("a")), JsonNode.Parse("""{"nested": {"x": [1]}}"""),
    ];

    [Fact]
    public async Task Generated_hostile_requests_never_get_a_server_error_and_the_cluster_serves_afterwards()
    {
        var random = new Random(20261205);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        using var gate = new SemaphoreSlim(8);
        var calls = Enumerable.Range(0, Requests).Select(_ => Generate(random)).ToList();
        await Task.WhenAll(calls.Select(async call =>
        {
            await gate.WaitAsync();
            try
            {
                using var request = call.Build();
                using var response = await fixture.Api.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                lock (statuses)
                {
                    statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{(int)response.StatusCode} for {call}: {text[..Math.Min(300, text.Length)]}");
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.True(failures.Count == 0, $"{failures.Count} server errors of {Requests}:\n{string.Join("\n", failures.Take(20))}");
        // The generator reached past validation too: some requests were accepted, many refused.
        Assert.True(statuses.Where(s => s.Key < 300).Sum(s => s.Value) > 100, string.Join(", ", statuses.OrderBy(s => s.Key)));
        Assert.True(statuses.GetValueOrDefault(400) > 1_000, string.Join(", ", statuses.OrderBy(s => s.Key)));

        using var ready = await fixture.Api.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var upsert = await fixture.Api.PostAsJsonAsync("/api/leads", new { lead_id = "after-fuzz", attributes = new { industry = "retail" } });
        Assert.True(upsert.IsSuccessStatusCode, await upsert.Content.ReadAsStringAsync());
        var lead = await fixture.Api.GetFromJsonAsync<JsonElement>("/api/leads/after-fuzz");
        Assert.Equal("retail", lead.GetProperty("attributes").GetProperty("industry").GetString());
    }

    /// <summary>One generated request: an endpoint, an id in its path, and a body mutated one of several ways.</summary>
    private static FuzzCall Generate(Random random)
    {
        var (method, template, bodyOf) = Endpoints[random.Next(Endpoints.Length)];
        var path = template.Replace("{id}", random.Next(3) == 0 ? HostileIds[random.Next(HostileIds.Length)] : "fuzz-1", StringComparison.Ordinal);
        var body = bodyOf();
        var contentType = "application/json";
        string? text = body?.ToJsonString();
        var mutation = random.Next(10);
        switch (mutation)
        {
            case 0 or 1 when body is not null:
                text = ReplaceOneLeaf(body, random, JsonValue.Create(Hostile))
                    .Replace($"\"{Hostile}\"", $"\"{HostileTexts[random.Next(HostileTexts.Length)]}\"", StringComparison.Ordinal);
                break;
            case 2 when body is not null:
                text = ReplaceOneLeaf(body, random, WrongTypes[random.Next(WrongTypes.Length)]?.DeepClone());
                break;
            case 3 when body is not null:
                var depth = random.Next(30, 300);
                text = ReplaceOneLeaf(body, random, JsonValue.Create(Hostile))
                    .Replace($"\"{Hostile}\"", new string('[', depth) + new string(']', depth), StringComparison.Ordinal);
                break;
            case 4 when text is { Length: > 2 } && text[0] == '{':
                var firstField = text[..(text.IndexOf(',', StringComparison.Ordinal) is > 0 and var comma ? comma : text.Length - 1)];
                text = firstField + "," + text[1..];
                break;
            case 5 when text is { Length: > 1 }:
                text = text[..random.Next(1, text.Length)];
                break;
            case 6:
                contentType = random.Next(3) switch { 0 => "text/plain", 1 => "application/xml", _ => "multipart/form-data" };
                text ??= "x=1";
                break;
            case 7:
                text = Convert.ToBase64String(Enumerable.Range(0, random.Next(1, 200)).Select(_ => (byte)random.Next(256)).ToArray());
                break;
            case 8:
                path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + random.Next(4) switch
                {
                    0 => "limit=-1&before=abc&from=yesterday",
                    1 => "include_insights=maybe&include_insights=true",
                    2 => "action=%00&subject=%01&target=%ED%A0%80",
                    _ => "x=" + new string('q', 2_000),
                };
                break;
        }

        return new FuzzCall(mutation, method, path, text, contentType);
    }

    /// <summary>The body with one of its leaves (a value, not an object or array) replaced.</summary>
    private static string ReplaceOneLeaf(JsonNode body, Random random, JsonNode? replacement)
    {
        var leaves = new List<JsonNode>();
        Collect(body, leaves);
        var leaf = leaves[random.Next(leaves.Count)];
        switch (leaf.Parent)
        {
            case JsonObject parent:
                parent[leaf.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[leaf.GetElementIndex()] = replacement;
                break;
        }

        return body.ToJsonString();
    }

    private static void Collect(JsonNode node, List<JsonNode> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        Collect(child, leaves);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Collect(child, leaves);
                    }
                }

                break;
            default:
                leaves.Add(node);
                break;
        }
    }

    private sealed record FuzzCall(int Mutation, string Method, string Path, string? Body, string ContentType)
    {
        public HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(Path, UriKind.Relative));
            if (Body is not null && Method == "POST")
            {
                request.Content = new StringContent(Body, Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }

            return request;
        }

        public override string ToString() => $"mutation {Mutation}: {Method} {Path} [{ContentType}] {Body?[..Math.Min(200, Body.Length)]}";
    }
}
