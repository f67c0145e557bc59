using LeadScoring.Client;
using LeadScoring.Client.Models;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Clients;

/// <summary>
/// The five-minute tour of the README, done as another service would do it: through the generated typed client
/// (LeadScoring.Client), against real silo and API processes and PostgreSQL.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
[Collection(ClientsCluster.Name)]
public class TypedClientTests(ClientsClusterFixture fixture)
{
    private LeadScoringApiClient Api => fixture.Client;

    [Fact]
    public async Task The_tour_runs_through_the_typed_client_create_record_score_explain_batch_train_and_promote()
    {
        var first = fixture.FirstModel;
        Assert.Equal(first, (await Api.Api.Ai.Scoring.Models.GetAsync())!.Champion);

        var lead = SyntheticCrm.Generate(1, seed: 77, DateTimeOffset.UtcNow).Single() with { LeadId = "tour-lead-1" };
        var created = await Api.Api.Leads.PostAsync(new UpsertLeadBody
        {
            LeadId = lead.LeadId,
            Attributes = new UpsertLeadBody_attributes { AdditionalData = ApiScenario.WireAttributes(lead) },
        });
        Assert.Equal(lead.LeadId, created!.LeadId);

        var activities = lead.Activities.Select((a, i) => new ActivityBody
        {
            ActivityId = $"tour-{i}",
            Type = Enum.Parse<LeadScoring.Client.Models.ActivityType>(a.Type.ToWireName(), ignoreCase: true),
            OccurredAt = a.OccurredAt,
            Properties = a.Properties.DurationSeconds is { } seconds ? new ActivityPropertiesBody { DurationSeconds = seconds } : null,
        }).ToList();
        var accepted = await Api.Api.Leads[lead.LeadId].Activities.PostAsync(new LeadActivitiesBody { Activities = activities });
        Assert.Equal(activities.Count, accepted!.Accepted);

        var score = (await Api.Api.Ai.Scoring.Score[lead.LeadId].GetAsync(r => r.QueryParameters.IncludeInsights = true))!.Data!;
        Assert.Equal(first, score.ModelVersion);
        var explanation = score.Explanation!;
        var contributions = explanation.Contributions!.Select(c => c.Contribution!.Value).ToList();
        // Figures are rounded to 6 places on the wire: the waterfall adds up within that.
        Assert.Equal(explanation.OutputValue!.Value, explanation.BaseValue!.Value + contributions.Sum(), 5e-7 * (contributions.Count + 2));
        Assert.Equal(score.ConversionProbability!.Value, 1 / (1 + Math.Exp(-explanation.OutputValue.Value)), 1e-6);

        var batch = (await Api.Api.Ai.Scoring.Score.Batch.PostAsync(new ScoreLeadsBatchBody
        {
            Leads = [new LeadReferenceBody { LeadId = lead.LeadId }, new LeadReferenceBody { LeadId = "tour-nobody" }],
        }))!.Data!;
        Assert.Equal(score.OverallScore, Assert.Single(batch.Results!, r => r.LeadId == lead.LeadId).OverallScore);
        Assert.Equal("tour-nobody", Assert.Single(batch.Failed!).LeadId);

        var second = await TrainFromHistoryAsync();
        Assert.NotEqual(first, second);
        Assert.Equal(first, (await Api.Api.Ai.Scoring.Models.GetAsync())!.Champion);
        var promoted = await Api.Api.Ai.Scoring.Models[second].Promote.PostAsync();
        Assert.Equal(second, promoted!.Champion);
        Assert.Equal(second, (await Api.Api.Ai.Scoring.Models.GetAsync())!.Champion);
        // The silos learn of the promotion within their champion refresh; the lead is then scored by the new champion.
        await Eventually.Until(
            async () => (await Api.Api.Ai.Scoring.Score.Single.PostAsync(new ScoreLeadBody { LeadId = lead.LeadId }))!.Data!.ModelVersion,
            version => version == second, "the promoted model to score the lead");
    }

    [Fact]
    public async Task A_refused_request_is_a_typed_problem_that_names_the_field()
    {
        var problem = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => Api.Api.Leads.PostAsync(new UpsertLeadBody { LeadId = "has spaces" }));

        Assert.Equal(400, problem.Status);
        Assert.Contains("lead_id", problem.Errors!.AdditionalData.Keys);
        var missing = await Assert.ThrowsAsync<ProblemDetails>(() => Api.Api.Ai.Scoring.Score["tour-never-created"].GetAsync());
        Assert.Equal(404, missing.Status);
    }

    private async Task<string> TrainFromHistoryAsync()
    {
        var accepted = await Api.Api.Ai.Scoring.Model.Train.PostAsync(new TrainFromHistoryBody { Source = "history" });
        var job = await Eventually.Until(
            () => Api.Api.Ai.Scoring.Model.Train[accepted!.JobId].GetAsync(),
            status => status!.State != "running", $"training job {accepted!.JobId} to end", TimeSpan.FromMinutes(5));
        Assert.True(job!.State == "succeeded", $"{job.State}: {job.Error}");
        return job.ModelVersion!;
    }
}
