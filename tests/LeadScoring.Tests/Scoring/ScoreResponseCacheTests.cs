using LeadScoring.Api.Options;
using System.Text;
using System.Text.Json;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Model;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Modeling.Tests.Scoring;
using LeadScoring.Modeling.Training;
using Microsoft.AspNetCore.Http;

namespace LeadScoring.Tests.Scoring;

[Trait("Category", "Unit")]
public class ScoreResponseCacheTests
{
    private static readonly ChampionModel Model = ChampionModel.Load("v1", SimulatedModels.First.Artifact);
    private static readonly JsonSerializerOptions Json = ApiJson();

    [Fact]
    public async Task A_score_read_is_written_byte_for_byte_as_the_serializer_writes_the_envelope()
    {
        var cache = new ScoreResponseCache(Json, new ScoreResponseCacheOptions().Entries);
        var scores = Scores(60, seed: 41);
        Assert.Contains(scores, s => s.KeyFactors.Count > 0 && s.RiskFactors.Count > 0 && s.Recommendations.Content.Count > 0);
        Assert.Contains(scores, s => s.PredictedDaysToClose is null);
        foreach (var (score, i) in scores.Select((s, i) => (s, i)))
        {
            var json = cache.Remember("default", score);
            var milliseconds = new[] { 0, 0.001, 1.25, 12.345, 250 }[i % 5];
            foreach (var hit in new[] { false, true })
            {
                var expected = JsonSerializer.Serialize(new ScoringEnvelope<ScoreResponse>(true, ScoreResponse.From(score, hit), milliseconds), Json);
                var (contentType, length, body) = await Written(json.Answer(hit, milliseconds));
                Assert.Equal(expected, body);
                Assert.Equal(Encoding.UTF8.GetByteCount(body), length);
                Assert.Equal("application/json; charset=utf-8", contentType);
            }

            Assert.Equal((score.ScoredAt, score.ModelVersion), (json.ScoredAt, json.ModelVersion));
        }
    }

    [Fact]
    public void A_lead_is_found_with_its_newest_score_and_only_in_its_own_workspace()
    {
        // Slots enough that no two of these leads could take both of each other's.
        var cache = new ScoreResponseCache(Json, 1 << 20);
        var scores = Scores(40, seed: 42);
        foreach (var score in scores)
        {
            cache.Remember("default", score);
            cache.Remember("default", score with { ScoredAt = score.ScoredAt.AddTicks(1), ModelVersion = "v2" });
        }

        foreach (var score in scores)
        {
            var found = cache.Find("default", score.LeadId);
            Assert.Equal((score.ScoredAt.AddTicks(1), "v2"), (found?.ScoredAt, found?.ModelVersion));
            Assert.Null(cache.Find("acme", score.LeadId));
        }

        // With one slot every lead shares it: the last one remembered is the only one found.
        var oneSlot = new ScoreResponseCache(Json, 1);
        oneSlot.Remember("default", scores[0]);
        oneSlot.Remember("acme", scores[0]);
        Assert.Null(oneSlot.Find("default", scores[0].LeadId));
        Assert.NotNull(oneSlot.Find("acme", scores[0].LeadId));
        oneSlot.Remember("acme", scores[1]);
        Assert.Null(oneSlot.Find("acme", scores[0].LeadId));
        Assert.Equal(scores[1].LeadId, oneSlot.Find("acme", scores[1].LeadId)?.LeadId);
    }

    [Fact]
    public async Task Without_slots_nothing_is_found_and_every_score_is_still_written_whole()
    {
        var cache = new ScoreResponseCache(Json, 0);
        foreach (var score in Scores(5, seed: 43))
        {
            var body = (await Written(cache.Remember("default", score).Answer(true, 0.5))).Body;
            Assert.Equal(JsonSerializer.Serialize(new ScoringEnvelope<ScoreResponse>(true, ScoreResponse.From(score, true), 0.5), Json), body);
            Assert.Null(cache.Find("default", score.LeadId));
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

    private static JsonSerializerOptions ApiJson()
    {
        var options = new JsonSerializerOptions();
        ApiHosting.ConfigureJson(options);
        return options;
    }
}
