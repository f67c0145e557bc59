using LeadScoring.Grains.Features;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Training;
using Microsoft.Extensions.Options;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// One lead: its attributes, consent, activity aggregates and outcome, held in memory while active and
/// persisted on every change before the caller is answered.
/// </summary>
public sealed class LeadGrain(
    [PersistentState("lead", GrainStorage.Name)] IPersistentState<LeadState> lead,
    IOptions<FeatureOptions> featureOptions,
    ITrainingSnapshotStore snapshots,
    TimeProvider clock) : Grain, ILeadGrain
{
    private static readonly IReadOnlyList<ValidationError> NoErrors = [];
    private readonly FeatureOptions _features = featureOptions.Value;
    private HashSet<string>? _seenActivityIds;

    private LeadState State => lead.State;

    public async Task<UpsertLeadResult> Upsert(LeadUpsert upsert)
    {
        var errors = LeadValidator.ValidateUpsert(upsert, State.Attributes);
        if (errors.Count > 0)
        {
            return new UpsertLeadResult(CommandStatus.Invalid, null, errors);
        }

        var now = clock.GetUtcNow();
        var created = !State.Exists;
        if (created)
        {
            State.Exists = true;
            State.CreatedAt = now;
            // Profiling defaults to on (legitimate interest in B2B); a lead can opt out at creation or later.
            State.ProfilingConsent = true;
        }

        foreach (var (name, value) in upsert.Attributes)
        {
            if (value is null)
            {
                State.Attributes.Remove(name);
            }
            else
            {
                State.Attributes[name] = value;
            }
        }

        State.Email = upsert.Email ?? State.Email;
        State.Name = upsert.Name ?? State.Name;
        State.ProfilingConsent = upsert.Consent?.Profiling ?? State.ProfilingConsent;
        State.MarketingConsent = upsert.Consent?.Marketing ?? State.MarketingConsent;
        State.UpdatedAt = now;
        await Persist();
        return new UpsertLeadResult(created ? CommandStatus.Created : CommandStatus.Ok, Snapshot(now), NoErrors);
    }

    public Task<LeadSnapshot?> GetSnapshot() =>
        Task.FromResult(State.Exists ? Snapshot(clock.GetUtcNow()) : null);

    public async Task<RecordActivitiesResult> RecordActivities(IReadOnlyList<ActivityRecord> activities)
    {
        if (!State.Exists)
        {
            return new RecordActivitiesResult(CommandStatus.NotFound, 0, 0, NoErrors);
        }

        var now = clock.GetUtcNow();
        var errors = LeadValidator.ValidateActivities(activities, now);
        if (errors.Count > 0)
        {
            return new RecordActivitiesResult(CommandStatus.Invalid, 0, 0, errors);
        }

        var seen = _seenActivityIds ??= new HashSet<string>(State.SeenActivityIds, StringComparer.Ordinal);
        int accepted = 0, duplicates = 0;
        foreach (var activity in activities)
        {
            if (activity.ActivityId is { } id && !seen.Add(id))
            {
                duplicates++;
                continue;
            }

            if (activity.ActivityId is { } newId)
            {
                State.SeenActivityIds.Add(newId);
            }

            FeatureEngine.Apply(State.Aggregates, activity, _features, now);
            State.RecentActivities.Add(activity);
            State.ActivityCount++;
            accepted++;
        }

        if (accepted > 0)
        {
            TrimHistory(seen);
            State.UpdatedAt = now;
            await Persist();
        }

        return new RecordActivitiesResult(CommandStatus.Ok, accepted, duplicates, NoErrors);
    }

    public async Task<RecordOutcomeResult> RecordOutcome(OutcomeRecord outcome)
    {
        if (!State.Exists)
        {
            return new RecordOutcomeResult(CommandStatus.NotFound, null, NoErrors);
        }

        var now = clock.GetUtcNow();
        var errors = LeadValidator.ValidateOutcome(outcome, now);
        if (errors.Count > 0)
        {
            return new RecordOutcomeResult(CommandStatus.Invalid, null, errors);
        }

        // The features as they are at recording time: training must never see what happened after the outcome.
        State.Outcome = new LeadOutcome(outcome.Converted, outcome.DealValue, outcome.ClosedAt, now, Features(now));
        State.UpdatedAt = now;
        // The snapshot is stored before the state: if the state write then fails the caller retries, and the
        // snapshot (keyed by lead) is simply replaced. Leads without profiling consent are never training data.
        if (State.ProfilingConsent)
        {
            var (workspace, leadId) = WorkspaceKey.Parse(this.GetPrimaryKeyString());
            await snapshots.SaveAsync(new TrainingSnapshot(
                workspace, leadId, now, outcome.Converted, outcome.DealValue, outcome.ClosedAt,
                State.Attributes.ToDictionary(a => a.Key, a => a.Value.ToString()), State.Outcome.FeaturesAtOutcome));
        }

        await Persist();
        return new RecordOutcomeResult(CommandStatus.Ok, State.Outcome, NoErrors);
    }

    private void TrimHistory(HashSet<string> seen)
    {
        State.RecentActivities.Sort((a, b) => b.OccurredAt.CompareTo(a.OccurredAt));
        if (State.RecentActivities.Count > LeadLimits.RecentActivities)
        {
            State.RecentActivities.RemoveRange(LeadLimits.RecentActivities, State.RecentActivities.Count - LeadLimits.RecentActivities);
        }

        var excess = State.SeenActivityIds.Count - LeadLimits.RememberedActivityIds;
        if (excess > 0)
        {
            foreach (var forgotten in State.SeenActivityIds.Take(excess))
            {
                seen.Remove(forgotten);
            }

            State.SeenActivityIds.RemoveRange(0, excess);
        }
    }

    /// <summary>
    /// Writes the state; if that fails the in-memory state is ahead of storage, so the activation is dropped
    /// and the next call starts again from what was persisted.
    /// </summary>
    private async Task Persist()
    {
        try
        {
            await lead.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private IReadOnlyList<FeatureValue> Features(DateTimeOffset now) =>
        FeatureEngine.Compute(State.Aggregates, State.CreatedAt, now, _features);

    private LeadSnapshot Snapshot(DateTimeOffset now)
    {
        var (workspace, leadId) = WorkspaceKey.Parse(this.GetPrimaryKeyString());
        return new LeadSnapshot(
            workspace,
            leadId,
            new Dictionary<string, LeadAttributeValue>(State.Attributes),
            State.Email,
            State.Name,
            new LeadConsent(State.ProfilingConsent, State.MarketingConsent),
            State.CreatedAt,
            State.UpdatedAt,
            State.ActivityCount,
            Features(now),
            [.. State.RecentActivities],
            State.Outcome);
    }
}
