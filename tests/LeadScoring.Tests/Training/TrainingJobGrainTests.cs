using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Tests.Training;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Training;

[Trait("Category", "Cluster")]
public class TrainingJobGrainTests(MemoryLeadClusterFixture fixture) : IClassFixture<MemoryLeadClusterFixture>
{
    [Fact]
    public async Task A_job_trains_registers_and_makes_the_first_model_champion()
    {
        var csv = new StringWriter();
        var table = SyntheticLeads.Create(400);
        csv.WriteLine(string.Join(',', table.Columns));
        foreach (var row in table.Rows)
        {
            csv.WriteLine(string.Join(',', row.Select(c => $"\"{c}\"")));
        }

        var workspace = $"ws-{Guid.NewGuid():N}";
        var job = fixture.Cluster.Client.GetGrain<ITrainingJobGrain>(WorkspaceKey.Format(workspace, "job1"));
        var started = await job.Start(new TrainingRequest(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "converted", null, null, [], false, null, null, null));
        var status = started.State != TrainingJobState.Running ? started
            : await Eventually.Until(async () => (await job.GetStatus())!, s => s.State != TrainingJobState.Running, "the training job to end", TimeSpan.FromMinutes(2));

        Assert.True(status.State == TrainingJobState.Succeeded, $"{status.State}: {status.Error} at {status.Stage}");
        Assert.Equal("v1", status.ModelVersion);
        var models = await fixture.Cluster.Client.GetGrain<IModelRegistryGrain>(workspace).List();
        Assert.True(Assert.Single(models).IsChampion);
    }
}
