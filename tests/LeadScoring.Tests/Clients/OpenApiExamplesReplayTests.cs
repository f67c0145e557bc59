using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Clients;

/// <summary>
/// The lead and scoring examples of the document, sent again to the API: each answers with the status its example
/// shows, in the schema the example matches (OpenApiExamplesTests), so the examples stay what a real call answers.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
[Collection(ClientsCluster.Name)]
public class OpenApiExamplesReplayTests(ClientsClusterFixture fixture)
{
    [Fact]
    public async Task The_lead_and_scoring_examples_are_what_the_API_answers()
    {
        // The batch example names a second lead, created as the example's session did.
        (await fixture.Http.PostAsJsonAsync("/api/leads", new { lead_id = "lead-43", attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
        var replays = new (string Operation, string Method, string Path, string Status)[]
        {
            ("UpsertLead", "POST", "/api/leads", "201"),
            ("RecordLeadActivities", "POST", "/api/leads/lead-42/activities", "202"),
            ("GetLeadScore", "GET", "/api/ai/scoring/score/lead-42?include_insights=true", "200"),
            ("ScoreLead", "POST", "/api/ai/scoring/score/single", "200"),
            ("ScoreLeadsBatch", "POST", "/api/ai/scoring/score/batch", "200"),
        };

        foreach (var (operation, method, path, status) in replays)
        {
            var example = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Api", "OpenApiExamples", operation + ".json")))!;
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (example["request"] is { } body)
            {
                request.Content = JsonContent.Create(body);
            }

            using var response = await fixture.Http.SendAsync(request);
            var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.True(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) == status, $"{operation}: {(int)response.StatusCode} {answer}");
            var problems = new List<string>();
            OpenApiSchemas.Conforms(answer, OpenApiSchemas.ResponseSchema(operation, status), operation, problems);
            Assert.True(problems.Count == 0, string.Join('\n', problems));
        }
    }
}
