using LeadScoring.Grains.Events;
using LeadScoring.Grains.Index;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace LeadScoring.Grains.Storage;

/// <summary>
/// The lead grains' store in memory mode: the same rows as in PostgreSQL, kept as one record per lead in Orleans'
/// memory grain storage (shared by the cluster's silos, gone with them). A write reads the record, checks the
/// version and writes it back; the lead's grain is its only writer, so nothing comes between.
/// </summary>
public sealed class MemoryLeadStore(
    [FromKeyedServices(GrainStorage.Leads)] IGrainStorage storage, IScoreHistoryStore history, ITrainingSnapshotStore snapshots, IEventOutbox outbox,
    ILeadIndexStore index)
    : ILeadStore
{
    private const string StateName = "lead";

    public async Task ReadAsync(GrainId lead, IGrainState<LeadState> state)
    {
        var stored = await Read(lead);
        var read = stored.State!.Lead ?? new LeadState();
        read.ActivityRows = stored.State.Activities.Count;
        state.State = read;
        state.ETag = stored.ETag;
        state.RecordExists = stored.RecordExists;
    }

    public async Task WriteAsync(GrainId lead, IGrainState<LeadState> state, LeadWriteExtras extras)
    {
        var stored = await Read(lead);
        if (stored.ETag != state.ETag)
        {
            throw new InconsistentStateException($"Lead {lead} was written by someone else since it was read.", stored.ETag, state.ETag);
        }

        var record = stored.State!;
        record.Lead = state.State;
        record.Activities.AddRange(extras.Activities);
        if (extras.TrimActivities)
        {
            record.Activities = [.. Newest(record.Activities, LeadLimits.RecentActivities)];
        }

        record.IdChunks.RemoveAll(chunk => chunk.Number < extras.ForgetIdChunksBelow);
        record.IdChunks.AddRange(extras.IdChunks);
        await storage.WriteStateAsync(StateName, lead, stored);
        state.ETag = stored.ETag;
        state.RecordExists = true;
        if (extras.HistoryEntry is { } entry)
        {
            var (workspace, leadId) = WorkspaceKey.Parse(lead.Key.ToString()!);
            await history.AppendAsync(workspace, leadId, entry, extras.TrimHistory, []);
        }

        if (extras.Snapshot is { } snapshot)
        {
            await snapshots.SaveAsync(snapshot);
        }

        await outbox.AppendAsync(extras.Events);
    }

    public async Task ClearAsync(GrainId lead, IGrainState<LeadState> state, WorkspaceEvent erased)
    {
        var stored = await Read(lead);
        if (stored.ETag != state.ETag)
        {
            throw new InconsistentStateException($"Lead {lead} was written by someone else since it was read.", stored.ETag, state.ETag);
        }

        await storage.ClearStateAsync(StateName, lead, stored);
        await index.ApplyAsync(erased.Workspace, [], [erased.LeadId!], null, keepReplaced: false);
        await outbox.ForgetLeadAsync(erased.Workspace, erased.LeadId!);
        await outbox.AppendAsync([erased]);
        state.State = new LeadState();
        state.ETag = null;
        state.RecordExists = false;
    }

    public async Task<IReadOnlyList<NumberedActivity>> ReadRecentActivitiesAsync(GrainId lead, int limit) =>
        [.. Newest((await Read(lead)).State!.Activities, limit)];

    public async Task<IReadOnlyList<long[]>> ReadActivityIdChunksAsync(GrainId lead) =>
        [.. (await Read(lead)).State!.IdChunks.OrderBy(chunk => chunk.Number).Select(chunk => chunk.Hashes)];

    private async Task<GrainState<StoredLead>> Read(GrainId lead)
    {
        var stored = new GrainState<StoredLead>(new StoredLead());
        await storage.ReadStateAsync(StateName, lead, stored);
        stored.State ??= new StoredLead();
        return stored;
    }

    /// <summary>Newest occurrence first, then in the order taken: the order PostgreSQL reads them in.</summary>
    private static IEnumerable<NumberedActivity> Newest(IEnumerable<NumberedActivity> activities, int limit) =>
        activities.OrderByDescending(a => a.Activity.OccurredAt).ThenBy(a => a.Received).Take(limit);
}

/// <summary>A lead as memory mode keeps it: the state and the rows that PostgreSQL keeps in tables of their own.</summary>
[GenerateSerializer, Alias("LeadScoring.MemoryLeadStore.StoredLead")]
public sealed class StoredLead
{
    [Id(0)] public LeadState? Lead { get; set; }

    [Id(1)] public List<NumberedActivity> Activities { get; set; } = [];

    [Id(2)] public List<ActivityIdChunk> IdChunks { get; set; } = [];
}
