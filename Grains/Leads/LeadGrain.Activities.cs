using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;

namespace LeadScoring.Grains.Leads;

/// <summary>Activities: aggregated into the features, kept as rows beside the state, retries refused by id.</summary>
public sealed partial class LeadGrain
{
    private static readonly StoredRows NoActivityRows = StoredRows.AfterRead(0, LeadLimits.RecentActivities, LeadLimits.StoredRecentActivities);

    // The remembered activity ids, loaded at the first activity of this activation.
    private RememberedActivityIds? _rememberedIds;

    // The activities taken since the last write, which the next write stores, and how many rows the lead holds.
    // The activation does not keep the rows: a read that needs them reads them (docs/performance.md, "Persistence").
    private List<NumberedActivity>? _unstoredActivities;
    private StoredRows _activityRows = NoActivityRows;

    public async Task<RecordActivitiesResult> RecordActivities(IReadOnlyList<ActivityRecord> activities)
    {
        if (!State.Exists)
        {
            return new RecordActivitiesResult(CommandStatus.NotFound, 0, 0, NoErrors);
        }

        var now = services.Clock.GetUtcNow();
        var errors = LeadValidator.ValidateActivities(activities, now);
        if (errors.Count > 0)
        {
            return new RecordActivitiesResult(CommandStatus.Invalid, 0, 0, errors);
        }

        var remembered = _rememberedIds ??= new RememberedActivityIds(
            State, State.ActivityIdChunks == 0 ? [] : await services.Store.ReadActivityIdChunksAsync(this.GetGrainId()));
        int accepted = 0, duplicates = 0;
        foreach (var activity in activities)
        {
            if (activity.ActivityId is { } id && !remembered.Add(ActivityIdHash.Of(id)))
            {
                duplicates++;
                continue;
            }

            FeatureEngine.Apply(State.Aggregates ??= new(), activity, services.Features, now);
            State.ActivityCount++;
            (_unstoredActivities ??= []).Add(new NumberedActivity(State.ActivityCount, RecentActivity.Of(activity)));
            accepted++;
        }

        if (accepted > 0)
        {
            State.UpdatedAt = now;
            await PersistRescored(ScoreTrigger.Activity, now);
        }

        return new RecordActivitiesResult(CommandStatus.Ok, accepted, duplicates, NoErrors);
    }

    /// <summary>The lead's newest activities, newest occurrence first (then in the order taken): the stored rows with those taken since the last write.</summary>
    private async Task<IReadOnlyList<RecentActivity>> RecentActivities()
    {
        var stored = _activityRows.Count == 0 ? [] : await services.Store.ReadRecentActivitiesAsync(this.GetGrainId(), LeadLimits.RecentActivities);
        if (_unstoredActivities is not { } unstored)
        {
            return stored.Select(row => row.Activity).ToList();
        }

        return stored.Concat(unstored)
            .OrderByDescending(row => row.Activity.OccurredAt).ThenBy(row => row.Received)
            .Take(LeadLimits.RecentActivities).Select(row => row.Activity).ToList();
    }

    /// <summary>What the next write stores beside the state: the activities taken and the id chunks filled since the last one.</summary>
    private (IReadOnlyList<NumberedActivity> Activities, LeadWriteExtras Extras) TakeUnstored(ScoreHistoryEntry? entry, bool trimHistory)
    {
        IReadOnlyList<NumberedActivity> activities = _unstoredActivities is { } unstored ? [.. unstored] : [];
        var (idChunks, forgetIdChunksBelow) = _rememberedIds?.TakeUnstored() ?? ([], 0);
        return (activities, new LeadWriteExtras(entry, trimHistory, activities, _activityRows.TrimsWith(activities.Count))
        {
            IdChunks = idChunks,
            ForgetIdChunksBelow = forgetIdChunksBelow,
        });
    }

    /// <summary>After a write: the activities it stored are rows now.</summary>
    private void StoredActivities(int stored)
    {
        _activityRows = _activityRows.Append(stored);
        // Only those written: a call interleaved with the write may have added more.
        _unstoredActivities?.RemoveRange(0, stored);
        if (_unstoredActivities is { Count: 0 })
        {
            _unstoredActivities = null;
        }
    }
}
