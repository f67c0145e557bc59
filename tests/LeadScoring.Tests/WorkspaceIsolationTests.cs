using LeadScoring.Grains;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Webhooks;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

/// <summary>
/// The silos' workspace filter for every grain that belongs to a workspace, called as another service calls
/// grains: through an Orleans client, with the caller's workspace in the request context. A call made for
/// workspace "a" never reaches a grain of workspace "b"; the same call made for "b" does.
/// </summary>
[Trait("Category", "Cluster")]
public class WorkspaceIsolationTests(MemoryLeadClusterFixture fixture) : IClassFixture<MemoryLeadClusterFixture>
{
    /// <summary>One harmless call per workspace-scoped grain class, to that grain of the given workspace.</summary>
    private static readonly Dictionary<Type, Func<IGrainFactory, string, Task>> Calls = new()
    {
        [typeof(LeadScoring.Grains.Leads.LeadGrain)] = (g, w) => g.GetGrain<ILeadGrain>(WorkspaceKey.Format(w, "isolated-lead")).GetSnapshot(),
        [typeof(LeadScoring.Grains.Models.ModelRegistryGrain)] = (g, w) => g.GetGrain<IModelRegistryGrain>(w).List(),
        [typeof(LeadScoring.Grains.Models.TrainingJobGrain)] = (g, w) => g.GetGrain<ITrainingJobGrain>(WorkspaceKey.Format(w, "job")).GetStatus(),
        [typeof(LeadScoring.Grains.Experiments.ExperimentGrain)] = (g, w) => g.GetGrain<IExperimentGrain>(WorkspaceKey.Format(w, "experiment")).Get(),
        [typeof(LeadScoring.Grains.Experiments.ExperimentCatalogGrain)] = (g, w) => g.GetGrain<IExperimentCatalogGrain>(w).List(),
        [typeof(LeadScoring.Grains.Drift.DriftGrain)] = (g, w) => g.GetGrain<IDriftGrain>(w).GetReport(),
        [typeof(LeadScoring.Grains.Drift.DriftAggregatorGrain)] = (g, w) => g.GetGrain<IDriftAggregatorGrain>(w).Flush(),
        [typeof(LeadScoring.Grains.Retraining.RetrainingGrain)] = (g, w) => g.GetGrain<IRetrainingGrain>(w).GetStatus(),
        [typeof(EventHistoryGrain)] = (g, w) => g.GetGrain<IEventHistoryGrain>(w).PositionOf("evt_isolated"),
        [typeof(MemoryEventLogGrain)] = (g, w) => g.GetGrain<IMemoryEventLogGrain>(w).Find("evt_isolated"),
        [typeof(LeadScoring.Grains.Index.LeadIndexGrain)] = (g, w) => g.GetGrain<ILeadIndexGrain>(w).GetRebuild(),
        [typeof(LeadScoring.Grains.Index.LeadIndexQueryGrain)] = (g, w) => g.GetGrain<ILeadIndexQueryGrain>(w).Summary(),
        [typeof(WebhooksGrain)] = (g, w) => g.GetGrain<IWebhooksGrain>(w).List(),
        [typeof(WebhookEndpointGrain)] = (g, w) => g.GetGrain<IWebhookEndpointGrain>(WorkspaceKey.Format(w, "wh_isolated")).Deliveries(1),
        [typeof(LeadScoring.Grains.Import.ImportJobGrain)] = (g, w) => g.GetGrain<IImportJobGrain>(WorkspaceKey.Format(w, "import")).GetStatus(),
        [typeof(LeadScoring.Grains.Scoring.WorkspaceSettingsGrain)] = (g, w) => g.GetGrain<IWorkspaceSettingsGrain>(w).GetGradeBands(),
    };

    /// <summary>Grains that belong to no workspace, and why that is safe.</summary>
    private static readonly Dictionary<Type, string> NotScoped = new()
    {
        [typeof(LeadScoring.Grains.Leads.ActivityBatchGrain)] = "a stateless fan-out keyed 0: the workspace is an argument, and every lead grain it reaches is checked",
        [typeof(LeadScoring.Grains.Scoring.ScoringBatchGrain)] = "as the activity batch",
        [typeof(LeadScoring.Grains.Import.LeadImportBatchGrain)] = "as the activity batch",
        [typeof(LeadScoring.Grains.Sessions.SignInCodeGrain)] = "keyed by a sign-in link's id, before any workspace is known",
    };

    public static TheoryData<string> ScopedGrains => [.. Calls.Keys.Select(t => t.Name)];

    [Fact]
    public void Every_grain_class_is_either_checked_here_or_named_as_belonging_to_no_workspace()
    {
        var grains = typeof(WorkspaceIsolationFilter).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(Grain).IsAssignableFrom(t)).ToHashSet();
        var scoped = grains.Where(typeof(IWorkspaceScoped).IsAssignableFrom).ToHashSet();

        Assert.Equal(scoped.Select(t => t.Name).Order(), Calls.Keys.Select(t => t.Name).Order());
        Assert.Equal(grains.Except(scoped).Select(t => t.Name).Order(), NotScoped.Keys.Select(t => t.Name).Order());
    }

    [Theory]
    [MemberData(nameof(ScopedGrains))]
    public async Task A_call_made_for_one_workspace_is_refused_by_a_grain_of_another_and_served_by_its_own(string grain)
    {
        var call = Calls.Single(c => c.Key.Name == grain).Value;
        var workspace = $"iso-{Guid.NewGuid():N}"[..16];

        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => CallFor("intruder", () => call(fixture.Cluster.Client, workspace)));
        await CallFor(workspace, () => call(fixture.Cluster.Client, workspace));

        Assert.Contains($"workspace 'intruder'", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"workspace '{workspace}'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_activity_batch_for_another_workspace_reaches_none_of_its_leads()
    {
        var workspace = $"iso-{Guid.NewGuid():N}"[..16];
        var lead = fixture.Cluster.Lead("batched", workspace);
        await CallFor(workspace, () => lead.Upsert(new LeadUpsert(new Dictionary<string, LeadAttributeValue?>(), null, null, null)));
        var activity = new ActivityRecord("a-1", ActivityType.PageView, DateTimeOffset.UtcNow.AddMinutes(-1), ActivityProperties.None);

        var results = await CallForAsync("intruder", () =>
            fixture.Cluster.Client.GetGrain<IActivityBatchGrain>(0).Record(workspace, [new LeadActivities("batched", [activity])]));

        Assert.Null(Assert.Single(results));
        Assert.Equal(0, (await CallForAsync(workspace, lead.GetSnapshot))!.ActivityCount);
    }

    private static async Task CallFor(string workspace, Func<Task> call) => await CallForAsync(workspace, async () => { await call(); return 0; });

    /// <summary>Makes the call with <paramref name="workspace"/> as the caller's, as the API and the web app tag theirs.</summary>
    private static async Task<T> CallForAsync<T>(string workspace, Func<Task<T>> call)
    {
        CallerWorkspace.Set(workspace);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Clear();
        }
    }
}
