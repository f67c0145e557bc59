using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public sealed class BadInputClusterFixture : IAsyncLifetime
{
    public const int MaxBodyBytes = 8192;

    public ProductCluster Cluster { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ProductCluster.StartAsync(apiEnvironment: new Dictionary<string, string>
        {
            ["LeadScoring__Requests__MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Api = Cluster.CreateApiClient();
        (await Api.PostAsJsonAsync("/api/leads", new { lead_id = "existing", attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
        (await Api.PostAsync("/api/leads/existing/activities", Json($$"""
            {"activities":[{"activity_id":"seed-1","type":"page_view","occurred_at":"{{DateTimeOffset.UtcNow.AddMinutes(-1):O}}"}]}
            """))).EnsureSuccessStatusCode();
        // The lead index follows the events of these writes a moment later: the cases compare tables after that.
        await Cluster.WaitForEventsAppliedAsync();
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Cluster.DisposeAsync();
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

public class ApiBadInputTests(BadInputClusterFixture fixture) : IClassFixture<BadInputClusterFixture>
{
    private static readonly string Soon = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O");
    private static readonly string InAnHour = DateTimeOffset.UtcNow.AddHours(1).ToString("O");

    /// <summary>Each case: what is sent, the status expected and the field the problem must name (if any).</summary>
    public static TheoryData<string, string, string, string, int, string?> Cases => new()
    {
        { "malformed JSON", "POST", "/api/leads", """{"lead_id": "a",""", 400, null },
        { "NaN literal", "POST", "/api/leads/existing/outcome", """{"converted": true, "deal_value": NaN}""", 400, null },
        { "empty body", "POST", "/api/leads", "", 400, null },
        { "body is not an object", "POST", "/api/leads", "[1,2]", 400, "$" },
        { "missing lead_id", "POST", "/api/leads", """{"attributes": {"a": 1}}""", 400, "lead_id" },
        { "lead_id with a slash", "POST", "/api/leads", """{"lead_id": "a/b"}""", 400, "lead_id" },
        { "attribute is an object", "POST", "/api/leads", """{"lead_id": "new-1", "attributes": {"nested": {"x": 1}}}""", 400, "attributes.nested" },
        { "attribute number overflows", "POST", "/api/leads", """{"lead_id": "new-2", "attributes": {"size": 1e999}}""", 400, "attributes.size" },
        { "unknown field", "POST", "/api/leads", """{"lead_id": "new-3", "atributes": {}}""", 400, "atributes" },
        { "consent is not boolean", "POST", "/api/leads", """{"lead_id": "new-4", "consent": {"profiling": "yes"}}""", 400, "consent.profiling" },
        { "bad e-mail", "POST", "/api/leads", """{"lead_id": "new-5", "email": "not-an-address"}""", 400, "email" },
        { "unknown activity type", "POST", "/api/leads/existing/activities", $$"""{"activities": [{"type": "fax", "occurred_at": "{{Soon}}"}]}""", 400, "activities[0].type" },
        { "missing occurred_at", "POST", "/api/leads/existing/activities", """{"activities": [{"type": "call"}]}""", 400, "activities[0].occurred_at" },
        { "unparseable occurred_at", "POST", "/api/leads/existing/activities", """{"activities": [{"type": "call", "occurred_at": "yesterday"}]}""", 400, "activities[0].occurred_at" },
        { "occurred_at an hour ahead", "POST", "/api/leads/existing/activities", $$"""{"activities": [{"type": "call", "occurred_at": "{{Soon}}"}, {"type": "call", "occurred_at": "{{InAnHour}}"}]}""", 400, "activities[1].occurred_at" },
        { "negative duration", "POST", "/api/leads/existing/activities", $$$"""{"activities": [{"type": "page_view", "occurred_at": "{{{Soon}}}", "properties": {"duration_seconds": -3}}]}""", 400, "activities[0].properties.duration_seconds" },
        { "channel too long", "POST", "/api/leads/existing/activities", $$$"""{"activities": [{"type": "call", "occurred_at": "{{{Soon}}}"}, {"type": "email_open", "occurred_at": "{{{Soon}}}", "properties": {"channel": "{{{new string('c', 65)}}}"}}]}""", 400, "activities[1].properties.channel" },
        { "content id too long", "POST", "/api/leads/existing/activities", $$$"""{"activities": [{"type": "download", "occurred_at": "{{{Soon}}}", "properties": {"content_id": "{{{new string('d', 257)}}}"}}]}""", 400, "activities[0].properties.content_id" },
        { "url too long", "POST", "/api/leads/existing/activities", $$$"""{"activities": [{"type": "page_view", "occurred_at": "{{{Soon}}}", "properties": {"url": "https://x.example/{{{new string('u', 2048)}}}"}}]}""", 400, "activities[0].properties.url" },
        { "no activities", "POST", "/api/leads/existing/activities", """{"activities": []}""", 400, "activities" },
        { "activities not an array", "POST", "/api/leads/existing/activities", """{"activities": {"type": "call"}}""", 400, "activities" },
        { "outcome without converted", "POST", "/api/leads/existing/outcome", """{"deal_value": 10}""", 400, "converted" },
        { "negative deal value", "POST", "/api/leads/existing/outcome", """{"converted": true, "deal_value": -1}""", 400, "deal_value" },
        { "closed in the future", "POST", "/api/leads/existing/outcome", $$"""{"converted": true, "closed_at": "{{InAnHour}}"}""", 400, "closed_at" },
        { "body over the limit", "POST", "/api/leads", $$$"""{"lead_id": "big", "attributes": {"notes": "{{{new string('x', BadInputClusterFixture.MaxBodyBytes)}}}"}}""", 413, null },
        { "unknown lead read", "GET", "/api/leads/nobody", "", 404, null },
        { "batch item without lead_id", "POST", "/api/leads/activities/batch", $$"""{"activities": [{"type": "call", "occurred_at": "{{Soon}}"}]}""", 400, "activities[0].lead_id" },
        { "batch item with a bad lead_id", "POST", "/api/leads/activities/batch", $$"""{"activities": [{"lead_id": "existing", "type": "call", "occurred_at": "{{Soon}}"}, {"lead_id": "a/b", "type": "call", "occurred_at": "{{Soon}}"}]}""", 400, "activities[1].lead_id" },
        { "batch item with an unknown field", "POST", "/api/leads/activities/batch", $$"""{"activities": [{"lead_id": "existing", "type": "call", "occurred_at": "{{Soon}}", "note": "x"}]}""", 400, "activities[0].note" },
        { "batch item with an unknown type", "POST", "/api/leads/activities/batch", $$"""{"activities": [{"lead_id": "existing", "type": "call", "occurred_at": "{{Soon}}"}, {"lead_id": "existing", "type": "fax", "occurred_at": "{{Soon}}"}]}""", 400, "activities[1].type" },
        { "activities for an unknown lead", "POST", "/api/leads/nobody/activities", $$"""{"activities": [{"type": "call", "occurred_at": "{{Soon}}"}]}""", 404, null },
        { "outcome for an unknown lead", "POST", "/api/leads/nobody/outcome", """{"converted": false}""", 404, null },
        { "invalid lead id in the path", "GET", "/api/leads/bad%20id", "", 400, "lead_id" },
        // Text that is not text (issue 26): a lone surrogate escape, NUL and other control characters, wherever they come.
        { "lone surrogate in lead_id", "POST", "/api/leads", """{"lead_id": "\ud800"}""", 400, "lead_id" },
        { "lone surrogate in name", "POST", "/api/leads", """{"lead_id": "new-6", "name": "A\udc00B"}""", 400, "name" },
        { "lone surrogate in a field name", "POST", "/api/leads", """{"lead_id": "new-7", "attributes": {"\ud800": 1}}""", 400, "attributes" },
        { "control character in an attribute", "POST", "/api/leads", """{"lead_id": "new-8", "attributes": {"note": "a\u0001b"}}""", 400, "attributes.note" },
        { "attribute name of spaces only", "POST", "/api/leads", """{"lead_id": "new-9", "attributes": {"   ": 1}}""", 400, "attributes." },
        { "attribute name over 100 characters", "POST", "/api/leads", $$$"""{"lead_id": "new-10", "attributes": {"{{{new string('n', 101)}}}": 1}}""", 400, "attributes." + new string('n', 101) },
        { "attribute names equal once trimmed", "POST", "/api/leads", """{"lead_id": "new-11", "attributes": {"Lead Source": "a", " Lead Source": "b"}}""", 400, "attributes.Lead Source" },
        { "lone surrogate in a url", "POST", "/api/leads/existing/activities", $$$"""{"activities": [{"type": "page_view", "occurred_at": "{{{Soon}}}", "properties": {"url": "https://x.example/\ud800"}}]}""", 400, "activities[0].properties.url" },
        { "NUL in a channel", "POST", "/api/leads/existing/activities", $$$"""{"activities": [{"type": "email_open", "occurred_at": "{{{Soon}}}", "properties": {"channel": "e\u0000mail"}}]}""", 400, "activities[0].properties.channel" },
        { "lone surrogate in a batch score lead_id", "POST", "/api/ai/scoring/score/batch", """{"leads": [{"lead_id": "\ud800"}]}""", 400, "leads[0].lead_id" },
        { "NUL in a score read's experiment_id", "POST", "/api/ai/scoring/score/single", """{"lead_id": "existing", "experiment_id": "a\u0000b"}""", 400, "experiment_id" },
        { "lone surrogate in the training source", "POST", "/api/ai/scoring/model/train", """{"source": "\ud800"}""", 400, "source" },
        { "NUL in an experiment's hypothesis", "POST", "/api/ai/scoring/abtest/create", """{"experiment_id": "e-1", "variants": ["a", "b"], "hypothesis": "x\u0000y"}""", 400, "hypothesis" },
        { "NUL in the audit action filter", "GET", "/api/audit?action=a%00b", "", 400, "action" },
        { "NUL in the audit subject filter", "GET", "/api/audit?subject=%00", "", 400, "subject" },
        { "control character in the audit target filter", "GET", "/api/audit?target=lead%01x", "", 400, "target" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_problem_and_stores_nothing(string name, string method, string path, string body, int status, string? field)
    {
        var before = await StorageFingerprint();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = BadInputClusterFixture.Json(body);
        }

        using var response = await fixture.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // An unread oversized body leaves the connection unusable: the server must say it closes it.
        Assert.Equal(status == 413, response.Headers.ConnectionClose == true);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        if (field is not null)
        {
            var errors = problem.RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var reasons), $"{name}: no error for '{field}' in {text}");
            Assert.Contains(reasons.EnumerateArray(), r => !string.IsNullOrWhiteSpace(r.GetString()));
        }

        await AssertNothingStoredSince(before, status);
    }

    [Fact]
    public async Task A_multipart_upload_cut_short_is_a_400()
    {
        var before = await StorageFingerprint();
        using var content = new StringContent(
            "--cut\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nConverted\r\n--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\r\n1,2",
            Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=cut");

        using var response = await fixture.Api.PostAsync("/api/ai/scoring/model/train", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingStoredSince(before, 400);
    }

    /// <summary>
    /// What HttpClient will not send: raw bytes on a socket, as a hostile client writes them. A NUL in the path is
    /// the one refusal Kestrel makes itself, with an empty 400 (it offers no hook for its own request-line
    /// rejections): still refused, never stored.
    /// </summary>
    [Theory]
    [InlineData("a header value with a non-ASCII byte", "GET /api/leads/existing HTTP/1.1\r\nHost: x\r\nX-Note: caf\u00e9\r\n", 200, false)]
    [InlineData("a token with a non-ASCII byte", "GET /api/leads/existing HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u00ff\r\n", 401, true)]
    [InlineData("a request target over 8 KB", "GET /api/leads/existing?q=QQQ HTTP/1.1\r\nHost: x\r\n", 414, true)]
    [InlineData("a control character in the path", "GET /api/leads/a%01b HTTP/1.1\r\nHost: x\r\n", 400, true)]
    [InlineData("a NUL in the path", "GET /api/leads/a%00b HTTP/1.1\r\nHost: x\r\n", 400, false)]
    public async Task Requests_kestrel_could_refuse_get_a_problem(string name, string head, int status, bool problem)
    {
        var target = fixture.Api.BaseAddress!;
        var authorization = fixture.Api.DefaultRequestHeaders.Authorization!.ToString();
        var request = head.Replace("QQQ", new string('q', 9_000), StringComparison.Ordinal);
        if (!request.Contains("Authorization:", StringComparison.Ordinal))
        {
            request += $"Authorization: {authorization}\r\n";
        }

        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(target.Host, target.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request + "Connection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var answer = await reader.ReadToEndAsync();

        Assert.True(answer.StartsWith($"HTTP/1.1 {status} ", StringComparison.Ordinal), $"{name}: {answer[..Math.Min(400, answer.Length)]}");
        Assert.Equal(problem, answer.Contains("application/problem+json", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Unknown_activity_types_are_answered_with_the_allowed_ones()
    {
        using var response = await fixture.Api.PostAsync("/api/leads/existing/activities",
            BadInputClusterFixture.Json($$"""{"activities": [{"type": "fax", "occurred_at": "{{Soon}}"}]}"""));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("page_view", text, StringComparison.Ordinal);
        Assert.Contains("demo_request", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Good_input_after_bad_input_is_stored()
    {
        using var created = await fixture.Api.PostAsJsonAsync("/api/leads", new { lead_id = "good-after-bad", attributes = new { size = 5 } });
        using var again = await fixture.Api.PostAsJsonAsync("/api/leads", new { lead_id = "good-after-bad", email = "x@y.example" });
        var lead = await fixture.Api.GetFromJsonAsync<JsonElement>("/api/leads/good-after-bad");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(5, lead.GetProperty("attributes").GetProperty("size").GetDouble());
        Assert.Equal("x@y.example", lead.GetProperty("email").GetString());
    }

    /// <summary>
    /// Tables that change with no request: the silos' membership heartbeats and the event relay's lease. The audit
    /// trail records the refusal itself and is checked on its own (<see cref="AssertNothingStoredSince"/>).
    /// </summary>
    private static readonly HashSet<string> NotComparedTables = ["orleansmembershiptable", "orleansmembershipversiontable", "event_relay_lease", "audit_log"];

    private async Task<(Dictionary<string, string> Tables, long LastAuditId)> StorageFingerprint() =>
        (await fixture.Cluster.Database.FingerprintAsync(NotComparedTables), await fixture.Cluster.Database.CountAsync("SELECT coalesce(max(id), 0) FROM audit_log"));

    /// <summary>What may have been stored since <paramref name="before"/>: nothing but audit entries recording the refusal's status.</summary>
    private async Task AssertNothingStoredSince((Dictionary<string, string> Tables, long LastAuditId) before, int status)
    {
        var after = (await StorageFingerprint()).Tables;
        var changed = after.Keys.Union(before.Tables.Keys).Where(t => after.GetValueOrDefault(t) != before.Tables.GetValueOrDefault(t)).ToList();
        Assert.True(changed.Count == 0, $"rows changed in {string.Join(", ", changed)}");
        var audited = await fixture.Cluster.Database.StringsAsync($"SELECT status FROM audit_log WHERE id > {before.LastAuditId}");
        Assert.True(audited.Count <= 1 && audited.All(s => s == status.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            $"audit entries since: {string.Join(", ", audited)}");
    }
}
