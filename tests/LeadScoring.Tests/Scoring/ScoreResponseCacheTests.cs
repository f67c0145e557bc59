using System.Text;
using System.Text.Json;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Simulation;
using LeadScoring.Grains.Training;
using Microsoft.AspNetCore.Http;

namespace LeadScoring.Tests.Scoring;

public class ScoreResponseCacheTests
{
    private static readonly ChampionModel Model = ChampionModel.Load("v1", SimulatedModels.First.Artifact);
    private static readonly JsonSerializerOptions Json = ApiJson();

    [Fact]
    public async Task A_score_read_is_written_byte_for_byte_as_the_serializer_writes_the_envelope()
    {
        var cache = new ScoreResponseCache(Json, ScoreResponseCache.DefaultEntries);
        var scores = Scores(60, seed: 41);
        Assert.Contains(scores, s => s.KeyFactors.Count > 0 && s.RiskFactors.Count > 0 && s.Recommendations.Content.Count > 0);
        Assert.Contains(scores, s => s.PredictedDaysToClose is null);
        foreach (var (score, i) in scores.Select((s, i) => (s, i)))
        {
            var milliseconds = new[] { 0, 0.001, 1.25, 12.345, 250 }[i % 5];
            foreach (var hit in new[] { false, true, true })
            {
                var expected = JsonSerializer.Serialize(new ScoringEnvelope<ScoreResponse>(true, ScoreResponse.From(score, hit), milliseconds), Json);
                var (contentType, length, body) = await Written(cache.Answer("default", score, hit, milliseconds));
                Assert.Equal(expected, body);
                Assert.Equal(Encoding.UTF8.GetByteCount(body), length);
                Assert.Equal("application/json; charset=utf-8", contentType);
            }
        }

        // Each score was serialized once, then read from the cache.
        Assert.Equal(scores.Count, cache.Misses);
        Assert.Equal(2 * scores.Count, cache.Hits);
    }

    [Fact]
    public async Task A_new_score_of_the_lead_or_the_same_lead_in_another_workspace_is_never_answered_from_the_cache()
    {
        var cache = new ScoreResponseCache(Json, ScoreResponseCache.DefaultEntries);
        var score = Scores(1, seed: 42)[0];
        await Written(cache.Answer("default", score, false, 1));

        // The lead rescored a tick later with the same figures (as after a change that moved nothing).
        var rescored = score with { ScoredAt = score.ScoredAt.AddTicks(1) };
        Assert.Contains(Iso(rescored.ScoredAt), (await Written(cache.Answer("default", rescored, true, 1))).Body, StringComparison.Ordinal);
        Assert.Equal((0, 2), (cache.Hits, cache.Misses));

        // Same moment, a different model, grade or figure: each is a different score.
        foreach (var other in new[] { rescored with { ModelVersion = "v2" }, rescored with { Grade = "Z" }, rescored with { Confidence = rescored.Confidence / 2 } })
        {
            var body = (await Written(cache.Answer("default", other, true, 1))).Body;
            Assert.Equal(JsonSerializer.Serialize(new ScoringEnvelope<ScoreResponse>(true, ScoreResponse.From(other, true), 1), Json), body);
        }

        Assert.Equal((0, 5), (cache.Hits, cache.Misses));

        // With one slot every lead shares it: only the workspace tells these two apart.
        var oneSlot = new ScoreResponseCache(Json, 1);
        await Written(oneSlot.Answer("default", score, true, 1));
        await Written(oneSlot.Answer("acme", score, true, 1));
        await Written(oneSlot.Answer("acme", score, true, 1));
        Assert.Equal((1, 2), (oneSlot.Hits, oneSlot.Misses));
    }

    [Fact]
    public async Task Leads_that_share_a_slot_replace_each_other_and_each_read_gets_its_own_lead()
    {
        var scores = Scores(8, seed: 43);
        foreach (var cache in new[] { new ScoreResponseCache(Json, 1), new ScoreResponseCache(Json, 0) })
        {
            foreach (var score in scores.Concat(scores))
            {
                var body = (await Written(cache.Answer("default", score, true, 0.5))).Body;
                Assert.Equal(JsonSerializer.Serialize(new ScoringEnvelope<ScoreResponse>(true, ScoreResponse.From(score, true), 0.5), Json), body);
            }
        }
    }

    private static List<LeadScore> Scores(int count, int seed) =>
        [.. SyntheticCrm.Generate(count, seed, SimulatedModels.Origin)
            .Select(lead => LeadScorer.Score(Model, LeadScorerTests.Input(lead, SimulatedModels.Origin), new GradeThresholds(), explain: false))];

    private static async Task<(string? ContentType, long? Length, string Body)> Written(IResult result)
    {
        var http = new DefaultHttpContext();
        using var body = new MemoryStream();
        http.Response.Body = body;
        await result.ExecuteAsync(http);
        return (http.Response.ContentType, http.Response.ContentLength, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static string Iso(DateTimeOffset at) => JsonSerializer.Serialize(at).Trim('"');

    private static JsonSerializerOptions ApiJson()
    {
        var options = new JsonSerializerOptions();
        ApiHosting.ConfigureJson(options);
        return options;
    }
}
