using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

[Trait("Category", "Cluster")]
public class LeadGrainTests(MemoryLeadClusterFixture fixture) : IClassFixture<MemoryLeadClusterFixture>
{
    private static readonly LeadUpsert Acme = new(
        new Dictionary<string, LeadAttributeValue?>
        {
            ["industry"] = LeadAttributeValue.OfText("software"),
            ["company_size"] = LeadAttributeValue.OfNumber(120),
        },
        "jane@acme.example",
        "Jane Doe",
        null);

    private LeadCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_call_made_for_one_workspace_never_reaches_a_lead_of_another()
    {
        var id = NewId();
        await Cluster.Lead(id, "tenant-a").Upsert(Acme);

        var refused = await Task.Run(async () =>
        {
            CallerWorkspace.Set("tenant-b");
            return await Record.ExceptionAsync(() => Cluster.Lead(id, "tenant-a").GetSnapshot());
        });
        var allowed = await Task.Run(async () =>
        {
            CallerWorkspace.Set("tenant-a");
            return await Cluster.Lead(id, "tenant-a").GetSnapshot();
        });

        Assert.IsType<UnauthorizedAccessException>(refused);
        Assert.Contains("tenant-b", refused.Message, StringComparison.Ordinal);
        Assert.Equal("jane@acme.example", allowed?.Email);
    }

    [Fact]
    public async Task References_built_from_resolved_types_are_the_ones_orleans_builds()
    {
        var id = NewId();
        await Cluster.Lead(id, "tenant-a").Upsert(Acme);

        // The first call resolves the types, later ones reuse them; each must equal Orleans' own reference.
        var references = Enumerable.Range(0, 3).Select(_ => Cluster.Client.GetLead("tenant-a", id)).ToList();
        var other = Cluster.Client.GetLead("tenant-b", id);

        Assert.All(references, r => Assert.Equal(Cluster.Lead(id, "tenant-a"), r));
        Assert.NotEqual(Cluster.Lead(id, "tenant-a"), other);
        var read = await Task.Run(async () =>
        {
            CallerWorkspace.Set("tenant-a");
            return await references[^1].GetSnapshot();
        });
        Assert.Equal("jane@acme.example", read?.Email);
    }

    [Fact]
    public async Task Upsert_creates_then_merges_attributes()
    {
        var lead = Cluster.Lead(NewId());

        var created = await lead.Upsert(Acme);
        var updated = await lead.Upsert(new LeadUpsert(
            new Dictionary<string, LeadAttributeValue?> { ["industry"] = null, ["region"] = LeadAttributeValue.OfText("emea") },
            null, null, new ConsentUpdate(false, null)));

        Assert.Equal(CommandStatus.Created, created.Status);
        Assert.Equal(CommandStatus.Ok, updated.Status);
        var snapshot = updated.Lead!;
        Assert.Equal(["company_size", "region"], snapshot.Attributes.Keys.Order());
        Assert.Equal("jane@acme.example", snapshot.Email);
        Assert.False(snapshot.Consent.Profiling);
        Assert.Equal(created.Lead!.CreatedAt, snapshot.CreatedAt);
        Assert.True(snapshot.UpdatedAt >= snapshot.CreatedAt);
    }

    [Fact]
    public async Task Unknown_leads_are_not_found_and_not_created_by_reads_or_activities()
    {
        var lead = Cluster.Lead(NewId());

        var activities = await lead.RecordActivities([PageView("a1", DateTimeOffset.UtcNow)]);
        var outcome = await lead.RecordOutcome(new OutcomeRecord(true, 10, null));

        Assert.Equal(CommandStatus.NotFound, activities.Status);
        Assert.Equal(CommandStatus.NotFound, outcome.Status);
        Assert.Null(await lead.GetSnapshot());
    }

    [Fact]
    public async Task Activity_ids_make_retries_idempotent_and_survive_reactivation()
    {
        var lead = Cluster.Lead(NewId());
        await lead.Upsert(Acme);
        var now = DateTimeOffset.UtcNow;

        var first = await lead.RecordActivities([PageView("a1", now.AddMinutes(-5)), PageView("a2", now.AddMinutes(-4)), PageView(null, now)]);
        await Cluster.DeactivateAsync(lead);
        var retry = await lead.RecordActivities([PageView("a1", now.AddMinutes(-5)), PageView("a3", now), PageView("a3", now)]);

        Assert.Equal((3, 0), (first.Accepted, first.Duplicates));
        Assert.Equal((1, 2), (retry.Accepted, retry.Duplicates));
        var snapshot = (await lead.GetSnapshot())!;
        Assert.Equal(4, snapshot.ActivityCount);
        Assert.Equal(4, snapshot.Aggregates.Single(f => f.Name == "page_view_count_total").Number);
        Assert.Equal(4, snapshot.RecentActivities.Count);
        Assert.True(snapshot.RecentActivities.Zip(snapshot.RecentActivities.Skip(1)).All(p => p.First.OccurredAt >= p.Second.OccurredAt));
    }

    [Fact]
    public async Task Invalid_commands_change_nothing()
    {
        var lead = Cluster.Lead(NewId());
        await lead.Upsert(Acme);
        var before = (await lead.GetSnapshot())!;

        var future = await lead.RecordActivities([PageView("ok", DateTimeOffset.UtcNow), PageView("late", DateTimeOffset.UtcNow.AddHours(1))]);
        var nan = await lead.Upsert(new LeadUpsert(
            new Dictionary<string, LeadAttributeValue?> { ["score"] = LeadAttributeValue.OfNumber(double.NaN), ["x"] = LeadAttributeValue.OfText("y") },
            null, null, null));
        var negative = await lead.RecordOutcome(new OutcomeRecord(true, -5, null));

        Assert.Equal(CommandStatus.Invalid, future.Status);
        Assert.Equal("activities[1].occurred_at", Assert.Single(future.Errors).Field);
        Assert.Equal(CommandStatus.Invalid, nan.Status);
        Assert.Equal("attributes.score", Assert.Single(nan.Errors).Field);
        Assert.Equal("deal_value", Assert.Single(negative.Errors).Field);
        var after = (await lead.GetSnapshot())!;
        Assert.Equal(before.ActivityCount, after.ActivityCount);
        Assert.Equal(before.Attributes.Keys.Order(), after.Attributes.Keys.Order());
        Assert.Null(after.Outcome);
    }

    [Fact]
    public async Task An_outcome_keeps_the_features_the_lead_had_when_it_was_recorded()
    {
        var lead = Cluster.Lead(NewId());
        await lead.Upsert(Acme);
        await lead.RecordActivities([PageView("p1", DateTimeOffset.UtcNow)]);

        var recorded = await lead.RecordOutcome(new OutcomeRecord(true, 5000, DateTimeOffset.UtcNow));
        await lead.RecordActivities([PageView("p2", DateTimeOffset.UtcNow)]);

        var outcome = (await lead.GetSnapshot())!.Outcome!;
        Assert.Equal(CommandStatus.Ok, recorded.Status);
        Assert.True(outcome.Converted);
        Assert.Equal(5000, outcome.DealValue);
        Assert.Equal(1, outcome.FeaturesAtOutcome.Single(f => f.Name == "page_view_count_total").Number);
    }

    internal static ActivityRecord PageView(string? id, DateTimeOffset at) =>
        new(id, ActivityType.PageView, at, new ActivityProperties(30, "https://example.com/pricing", "web", null));

    [Fact]
    public async Task An_imported_row_is_written_once_with_its_outcome_and_importing_it_again_writes_nothing()
    {
        var id = NewId();
        var lead = Cluster.Lead(id);
        var row = new LeadUpsert(
            new Dictionary<string, LeadAttributeValue?> { ["Lead Origin"] = LeadAttributeValue.OfText("API"), ["TotalVisits"] = LeadAttributeValue.OfNumber(5) },
            null, null, null);
        var won = new OutcomeRecord(true, null, null);

        var created = await lead.Import(row, won);
        var stored = (await lead.GetSnapshot())!;
        var again = await lead.Import(row, won);
        await Cluster.DeactivateAsync(lead);
        var afterReload = await lead.Import(row, won);
        var refused = await lead.Import(
            row with { Attributes = new Dictionary<string, LeadAttributeValue?> { ["TotalVisits"] = LeadAttributeValue.OfNumber(9) } },
            new OutcomeRecord(false, null, DateTimeOffset.UtcNow.AddDays(30)));
        var afterRefusal = (await lead.GetSnapshot())!;
        var updated = await lead.Import(row with { Attributes = new Dictionary<string, LeadAttributeValue?> { ["TotalVisits"] = null } }, new OutcomeRecord(false, null, null));
        var final = (await lead.GetSnapshot())!;
        var snapshot = Assert.Single(await Cluster.ListSnapshotsAsync(), s => s.LeadId == id);

        Assert.Equal(
            [LeadImportStatus.Created, LeadImportStatus.Unchanged, LeadImportStatus.Unchanged, LeadImportStatus.Invalid, LeadImportStatus.Updated],
            new[] { created.Status, again.Status, afterReload.Status, refused.Status, updated.Status });
        Assert.True(stored.Outcome!.Converted);
        Assert.Contains(refused.Errors, e => e.Field == "closed_at");
        Assert.Equal((5.0, true), (afterRefusal.Attributes["TotalVisits"].Number, afterRefusal.Outcome!.Converted));
        Assert.False(final.Attributes.ContainsKey("TotalVisits"));
        Assert.Equal("API", final.Attributes["Lead Origin"].Text);
        Assert.False(final.Outcome!.Converted);
        Assert.False(snapshot.Converted);
        Assert.Equal("API", snapshot.Attributes["Lead Origin"]);
    }

    private static string NewId() => $"lead-{Guid.NewGuid():N}";
}
