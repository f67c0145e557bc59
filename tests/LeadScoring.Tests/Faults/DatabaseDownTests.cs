using System.Net;
using System.Net.Http.Json;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Faults;

/// <summary>
/// Each kind of request that needs PostgreSQL, sent while it is down (the API's retries off, so that the first
/// failure is the answer): a 503 problem with Retry-After, never a 500, and never a 404 for something that may
/// exist (a lead or training job whose state could not be read is not known to be missing).
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class DatabaseDownTests
{
    private static readonly (string Method, string Path, object? Body)[] NeedTheDatabase =
    [
        ("GET", "/api/leads/never-read", null),
        ("POST", "/api/leads", new { lead_id = "new-while-down", attributes = new { industry = "retail" } }),
        ("POST", "/api/leads/never-read-either/activities", new { activities = new[] { new { activity_id = "a1", type = "page_view", occurred_at = DateTimeOffset.UtcNow } } }),
        ("POST", "/api/leads/activities/batch", new { activities = new[] { new { lead_id = "b1", activity_id = "x1", type = "page_view", occurred_at = DateTimeOffset.UtcNow } } }),
        ("GET", "/api/ai/scoring/score/not-read-yet", null),
        ("GET", "/api/ai/scoring/score/not-read-yet/history", null),
        ("GET", $"/api/ai/scoring/model/train/{Guid.NewGuid():N}", null),
        ("GET", "/api/audit", null),
    ];

    [Fact]
    public async Task Requests_that_need_the_database_while_it_is_down_are_503_with_retry_after_and_served_once_it_is_back()
    {
        await using var server = await PrivatePostgresServer.StartAsync();
        await using var cluster = await ProductCluster.StartAsync(silos: 1, apiEnvironment: FaultSettings.UnlimitedWithoutRetries, postgresServer: server.ConnectionString);
        using var api = cluster.CreateApiClient();

        await server.StopAsync();
        var wrong = new List<string>();
        IReadOnlyList<string> scoreFailures;
        try
        {
            foreach (var (method, path, body) in NeedTheDatabase)
            {
                using var response = await SendAsync(api, method, path, body);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter is null
                    || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    wrong.Add($"{method} {path}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {await response.Content.ReadAsStringAsync()}");
                }
            }

            // A score batch answers for each lead: those that could not be reached are listed as unavailable, to be
            // asked again. (An activity batch is a 503 as a whole: its audit entry cannot be written.)
            using var scores = await SendAsync(api, "POST", "/api/ai/scoring/score/batch", new { leads = new[] { new { lead_id = "b1" }, new { lead_id = "b2" } } });
            scoreFailures = await FailureReasonsAsync(scores);
        }
        finally
        {
            // Connections the pools held before the stop are found broken on their first use: the first calls after
            // the start may still be 503s (the API would retry them by default), and then the cluster serves.
            await server.StartPostgresAsync();
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong) + "\n" + cluster.Errors());
        Assert.Equal(2, scoreFailures.Count(reason => reason.StartsWith("unavailable:", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.NotFound, await FirstAnswerBesides503Async(api, "GET", "/api/leads/never-read", null));
        Assert.Equal(HttpStatusCode.Created, await FirstAnswerBesides503Async(api, "POST", "/api/leads", NeedTheDatabase[1].Body));
    }

    private static Task<HttpStatusCode> FirstAnswerBesides503Async(HttpClient api, string method, string path, object? body) =>
        Eventually.Until(async () =>
        {
            using var response = await SendAsync(api, method, path, body);
            return response.StatusCode;
        }, status => status != HttpStatusCode.ServiceUnavailable, $"{method} {path} to be answered other than 503");

    /// <summary>The reasons of a batch answer's failed leads (the answer's whole text when it is not a 200).</summary>
    private static async Task<IReadOnlyList<string>> FailureReasonsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return [$"{(int)response.StatusCode}: {text}"];
        }

        var root = System.Text.Json.JsonDocument.Parse(text).RootElement;
        var failed = root.TryGetProperty("data", out var data) ? data.GetProperty("failed") : root.GetProperty("failed");
        return [.. failed.EnumerateArray().Select(failure => failure.GetProperty("error").GetString()!)];
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient api, string method, string path, object? body) =>
        api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : JsonContent.Create(body) });
}
