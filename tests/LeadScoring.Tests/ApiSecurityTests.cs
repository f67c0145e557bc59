using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public sealed class SecurityClusterFixture : IAsyncLifetime
{
    public const string LeadId = "shared-lead";

    public ProductCluster Cluster { get; private set; } = null!;

    /// <summary>A client without a default token: each request brings its own.</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ProductCluster.StartAsync();
        Http = Cluster.CreateApiClient(role: null);
        using var admin = Cluster.CreateApiClient();
        (await admin.PostAsJsonAsync("/api/leads", new { lead_id = LeadId, attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Cluster.DisposeAsync();
    }
}

public class ApiSecurityTests(SecurityClusterFixture fixture) : IClassFixture<SecurityClusterFixture>
{
    private const string Lead = SecurityClusterFixture.LeadId;

    /// <summary>Every /api route: who may call it, and what an allowed caller gets in its own workspace and in another one.</summary>
    public static TheoryData<string, string, string?, string, HttpStatusCode, HttpStatusCode> Routes() => new()
    {
        { "POST", "/api/leads", $$"""{"lead_id":"{{Lead}}"}""", "write", HttpStatusCode.OK, HttpStatusCode.Created },
        { "GET", $"/api/leads/{Lead}", null, "read", HttpStatusCode.OK, HttpStatusCode.NotFound },
        { "POST", $"/api/leads/{Lead}/activities", $$"""{"activities":[{"type":"page_view","occurred_at":"{{DateTimeOffset.UtcNow.AddMinutes(-1):O}}"}]}""", "write", HttpStatusCode.Accepted, HttpStatusCode.NotFound },
        { "POST", $"/api/leads/{Lead}/outcome", """{"converted":false}""", "write", HttpStatusCode.OK, HttpStatusCode.NotFound },
        { "POST", $"/api/leads/{Lead}/consent", """{"marketing":true}""", "write", HttpStatusCode.OK, HttpStatusCode.NotFound },
        { "GET", $"/api/leads/{Lead}/export", null, "admin", HttpStatusCode.OK, HttpStatusCode.NotFound },
        { "DELETE", "/api/leads/never-created", null, "admin", HttpStatusCode.NotFound, HttpStatusCode.NotFound },
        { "GET", "/api/audit", null, "admin", HttpStatusCode.OK, HttpStatusCode.OK },
        { "POST", "/api/ai/scoring/abtest/create", """{"experiment_id":"e1","variants":["control","b"],"traffic_split":{"control":0.5,"b":0.5},"variant_models":{"control":"v404","b":"v404"},"hypothesis":"h"}""", "admin", HttpStatusCode.BadRequest, HttpStatusCode.BadRequest },
        { "GET", "/api/ai/scoring/abtest", null, "read", HttpStatusCode.OK, HttpStatusCode.OK },
        { "GET", "/api/ai/scoring/drift", null, "read", HttpStatusCode.Conflict, HttpStatusCode.Conflict },
        { "GET", "/api/ai/scoring/retraining", null, "read", HttpStatusCode.OK, HttpStatusCode.OK },
        { "POST", "/api/ai/scoring/retraining", null, "admin", HttpStatusCode.Accepted, HttpStatusCode.Accepted },
        { "GET", "/api/ai/scoring/abtest/no-such-experiment", null, "read", HttpStatusCode.NotFound, HttpStatusCode.NotFound },
        { "POST", "/api/ai/scoring/abtest/no-such-experiment/stop", null, "admin", HttpStatusCode.NotFound, HttpStatusCode.NotFound },
        { "POST", "/api/ai/scoring/model/train", """{"source":"history"}""", "admin", HttpStatusCode.Accepted, HttpStatusCode.Accepted },
        { "GET", "/api/ai/scoring/model/train/no-such-job", null, "read", HttpStatusCode.NotFound, HttpStatusCode.NotFound },
        { "GET", "/api/ai/scoring/models", null, "read", HttpStatusCode.OK, HttpStatusCode.OK },
        { "GET", "/api/ai/scoring/models/v404", null, "read", HttpStatusCode.NotFound, HttpStatusCode.NotFound },
        { "POST", "/api/ai/scoring/models/v404/promote", null, "admin", HttpStatusCode.NotFound, HttpStatusCode.NotFound },
        { "POST", "/api/ai/scoring/models/rollback", null, "admin", HttpStatusCode.Conflict, HttpStatusCode.Conflict },
        { "POST", "/api/ai/scoring/score/single", $$"""{"lead_id":"{{Lead}}"}""", "score", HttpStatusCode.Conflict, HttpStatusCode.NotFound },
        { "GET", $"/api/ai/scoring/score/{Lead}", null, "score", HttpStatusCode.Conflict, HttpStatusCode.NotFound },
        { "POST", "/api/ai/scoring/score/batch", $$"""{"leads":[{"lead_id":"{{Lead}}"}]}""", "score", HttpStatusCode.OK, HttpStatusCode.OK },
        { "GET", $"/api/ai/scoring/score/{Lead}/history", null, "read", HttpStatusCode.OK, HttpStatusCode.NotFound },
        { "GET", "/api/ai/scoring/performance/metrics", null, "read", HttpStatusCode.OK, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_answers_each_role_in_its_own_and_in_another_workspace(
        string method, string path, string? body, string policy, HttpStatusCode own, HttpStatusCode other)
    {
        var outcomes = new List<string>();
        foreach (var role in new[] { "admin", "analyst", "ingest" })
        {
            var allowed = policy switch
            {
                "write" => role is "admin" or "ingest",
                "read" => role is "admin" or "analyst",
                "score" => true,
                _ => role == "admin",
            };
            // Each route and role has an "other" workspace of its own, so that a lead one row creates there is not found by another.
            var otherWorkspace = $"other-{role}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(method + path)))[..8]}";
            foreach (var (workspace, expectedWhenAllowed) in new[] { ("default", own), (otherWorkspace, other) })
            {
                using var response = await Send(method, path, body, TestTokens.Create(role, workspace));
                var expected = allowed ? expectedWhenAllowed : HttpStatusCode.Forbidden;
                if (response.StatusCode != expected)
                {
                    outcomes.Add($"{role}@{workspace}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                if (!response.IsSuccessStatusCode)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }

        using var anonymous = await Send(method, path, body, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty(outcomes);
    }

    [Fact]
    public async Task Batch_scoring_from_another_workspace_sees_the_lead_as_unknown()
    {
        using var response = await Send("POST", "/api/ai/scoring/score/batch", $$"""{"leads":[{"lead_id":"{{Lead}}"}]}""", TestTokens.Create("analyst", "elsewhere"));
        var failed = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("failed");

        Assert.Equal(Lead, failed[0].GetProperty("lead_id").GetString());
        Assert.Contains("not found", failed[0].GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, string> RejectedTokens()
    {
        var otherKey = System.Security.Cryptography.SHA256.HashData("not the deployment's key"u8);
        Dictionary<string, object> With(Action<Dictionary<string, object>> change)
        {
            var claims = TestTokens.Claims();
            change(claims);
            return claims;
        }

        return new()
        {
            { "forged signature", TestTokens.Sign(TestTokens.Claims(), otherKey) },
            { "alg none", TestTokens.Sign(TestTokens.Claims(), algorithm: "none") },
            { "wrong audience", TestTokens.Sign(With(c => c["aud"] = "someone-else")) },
            { "wrong issuer", TestTokens.Sign(With(c => c["iss"] = "evil")) },
            { "expired beyond the 30 s skew", TestTokens.Sign(TestTokens.Claims(expiresIn: TimeSpan.FromSeconds(-45))) },
            { "no expiry", TestTokens.Sign(With(c => c.Remove("exp"))) },
            { "no subject", TestTokens.Sign(With(c => c.Remove("sub"))) },
            { "no workspace", TestTokens.Sign(With(c => c.Remove("workspace"))) },
            { "workspace with a slash", TestTokens.Sign(With(c => c["workspace"] = "a/b")) },
            { "no role", TestTokens.Sign(With(c => c.Remove("role"))) },
            { "unknown role", TestTokens.Sign(With(c => c["role"] = "root")) },
            { "not a token", "not-a-jwt" },
        };
    }

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Bad_tokens_are_401_problems(string why, string token)
    {
        using var response = await Send("GET", "/api/ai/scoring/models", null, token);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Health_needs_no_token()
    {
        using var health = await Send("GET", "/health", null, token: null);
        using var ready = await Send("GET", "/health/ready", null, token: null);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task A_role_that_may_not_call_a_route_is_named_in_the_403()
    {
        using var forbidden = await Send("POST", "/api/ai/scoring/models/rollback", null, TestTokens.Create("ingest"));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("Role 'ingest' may not do this.", (await forbidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route_with_the_bearer_scheme_for_admins_only()
    {
        using var admin = await Send("GET", "/openapi/v1.json", null, TestTokens.Create("admin"));
        using var analyst = await Send("GET", "/openapi/v1.json", null, TestTokens.Create("analyst"));
        using var anonymous = await Send("GET", "/openapi/v1.json", null, token: null);
        using var docs = await Send("GET", "/docs/", null, TestTokens.Create("admin"));

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        var document = await admin.Content.ReadFromJsonAsync<JsonElement>();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var route in Routes().Select(r => (string)r[1]))
        {
            var template = route.Replace(Lead, "{leadId}").Replace("never-created", "{leadId}").Replace("no-such-experiment", "{experimentId}").Replace("no-such-job", "{jobId}").Replace("v404", "{version}");
            Assert.Contains(template, paths);
        }

        Assert.Equal(HttpStatusCode.Forbidden, analyst.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> Send(string method, string path, string? body, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await fixture.Http.SendAsync(request);
    }
}
