using System.Diagnostics.CodeAnalysis;
using LeadScoring.Grains.Drift;
using LeadScoring.Grains.Experiments;
using LeadScoring.Grains.Features;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.PersonalData;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Storage;
using LeadScoring.Grains.Training;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// One lead: its attributes, consent, activity aggregates and outcome, held in memory while active and
/// persisted on every change before the caller is answered; and its latest score with the workspace's
/// champion, recomputed when the lead changes (before the change is acknowledged), when the champion
/// changes, or when time moves its time-based features into a new hour, and otherwise served as it is.
/// </summary>
public sealed class LeadGrain(LeadGrainServices services) : Grain, ILeadGrain, IWorkspaceScoped, IGrainState<LeadState>
{
    private const string StateName = "lead";
    private static readonly IReadOnlyList<ValidationError> NoErrors = [];

    // Features of a lead that never acted; FeatureEngine.Apply only ever gets a lead's own aggregates.
    private static readonly ActivityAggregates NoActivity = new();

    private static readonly StoredRows NoActivityRows = StoredRows.AfterRead(0, LeadLimits.RecentActivities, LeadLimits.StoredRecentActivities);

    // The grain reads and writes its state through the storage itself, as its own IGrainState: an
    // IPersistentState facet brings a lifecycle and a migration participant to every activation (about 340
    // bytes per lead; leads never migrate), and a GrainState wrapper another 40.
    private LeadState _state = new();
    private string? _etag;
    private bool _recordExists;

    // The remembered activity ids, loaded at the first activity of this activation.
    private RememberedActivityIds? _rememberedIds;

    // The latest score and the hour its time-based features were computed in; null once the lead changed.
    private CachedScore? _score;
    private int _scoredHour;

    // Loaded from the history store the first time this activation scores.
    private RecentScores? _recentScores;

    // With a storage that keeps recent activities as rows: the activities taken since the last write, which
    // the next write stores, and how many rows the lead holds. The activation does not keep the rows: they are
    // read when a read needs them (RecentActivities). Held here, every activity shifted a hundred-entry list
    // in a long-lived object, and its strings outlived the young generation: in a cluster under 5,000
    // activities/s that made each young collection mark and copy several MB and pause for about 20 ms.
    private List<NumberedActivity>? _unstoredActivities;
    private StoredRows _activityRows = NoActivityRows;
    private (string Workspace, string Id)? _key;

    // The personal data in clear, opened from the sealed state the first time it is needed.
    private LeadPersonalData? _personal;

    // Experiments whose exposure of this lead is already stored (the store ignores repeats; this saves the writes).
    private HashSet<string>? _exposedIn;

    private LeadState State => _state;

    // Every storage provider leaves a state instance behind a read or a clear (a fresh one when there is no record).
    [AllowNull]
    LeadState IGrainState<LeadState>.State { get => _state; set => _state = value ?? new LeadState(); }

    string? IGrainState<LeadState>.ETag { get => _etag; set => _etag = value; }

    bool IGrainState<LeadState>.RecordExists { get => _recordExists; set => _recordExists = value; }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await services.Storage.ReadStateAsync<LeadState>(StateName, this.GetGrainId(), this);
        if (State.AttributesByName is { } storedByName)
        {
            State.Attributes = new LeadAttributes(storedByName);
            State.AttributesByName = null;
        }

        // The stored attributes arrive as fresh strings and values: the shared instances replace them.
        State.Attributes.ShareValues();
        if (State.SeenActivityIds is { } storedIds)
        {
            State.SeenActivityIdHashes = [.. storedIds.Select(ActivityIdHash.Of)];
            State.SeenActivityIds = null;
        }

        if (State.RecentActivityRecords is { } storedRecords)
        {
            State.RecentActivities = storedRecords.ConvertAll(RecentActivity.Of);
            State.RecentActivityRecords = null;
        }

        if (services.Storage is ILeadStateStorage)
        {
            if (State.ActivityRows is { } count)
            {
                _activityRows = StoredRows.Counted(count, LeadLimits.RecentActivities, LeadLimits.StoredRecentActivities);
            }
            else if (State.RecentActivities is { Count: > 0 } carried)
            {
                // Written before activities were rows: they become rows with the next write, numbered below
                // every activity to come and in the list's order, which is the order the rows are read in.
                _unstoredActivities = [.. carried.Select((activity, i) => new NumberedActivity(i - carried.Count, activity))];
            }

            State.RecentActivities = null;
        }
    }

    public async Task<UpsertLeadResult> Upsert(LeadUpsert upsert)
    {
        var errors = LeadValidator.ValidateUpsert(upsert, State.Attributes);
        if (errors.Count > 0)
        {
            return new UpsertLeadResult(CommandStatus.Invalid, null, errors);
        }

        var now = services.Clock.GetUtcNow();
        var created = !State.Exists;
        if (created)
        {
            State.Exists = true;
            State.CreatedAt = now;
            // Profiling defaults to on (legitimate interest in B2B); a lead can opt out at creation or later.
            State.ProfilingConsent = true;
        }

        var personalDataOf = services.PersonalData;
        var personal = Personal;
        var personalAttributes = new Dictionary<string, string>(personal.Attributes, StringComparer.Ordinal);
        var personalChanged = upsert.Email is not null || upsert.Name is not null || upsert.Phone is not null;
        foreach (var (name, value) in upsert.Attributes)
        {
            if (personalDataOf.IsPersonal(Workspace, name))
            {
                personalChanged = true;
                if (value is null)
                {
                    personalAttributes.Remove(name);
                }
                else
                {
                    personalAttributes[name] = value.ToString();
                }
            }
            else if (value is null)
            {
                State.Attributes.Remove(name);
            }
            else
            {
                State.Attributes.Set(SharedValues.Text(name), SharedValues.Attribute(value));
            }
        }

        if (personalChanged || (State.Personal is { } sealedData && !services.Protector.IsSealedUnderCurrentKey(sealedData)))
        {
            SealPersonal(new LeadPersonalData(
                upsert.Email ?? personal.Email, upsert.Name ?? personal.Name, upsert.Phone ?? personal.Phone, personalAttributes));
        }

        var withdrawn = ApplyConsent(upsert.Consent);
        State.UpdatedAt = now;
        await PersistRescored(ScoreTrigger.Attributes, now);
        await ForgetTrainingSnapshotIf(withdrawn);
        return new UpsertLeadResult(created ? CommandStatus.Created : CommandStatus.Ok, await Snapshot(now), NoErrors);
    }

    public async Task<UpdateConsentResult> UpdateConsent(ConsentUpdate consent)
    {
        if (!State.Exists)
        {
            return new UpdateConsentResult(CommandStatus.NotFound, null);
        }

        var now = services.Clock.GetUtcNow();
        var withdrawn = ApplyConsent(consent);
        State.UpdatedAt = now;
        await PersistRescored(ScoreTrigger.Attributes, now);
        await ForgetTrainingSnapshotIf(withdrawn);
        return new UpdateConsentResult(CommandStatus.Ok, new LeadConsent(State.ProfilingConsent, State.MarketingConsent));
    }

    public async Task<LeadExport?> Export()
    {
        if (!State.Exists)
        {
            return null;
        }

        var now = services.Clock.GetUtcNow();
        // Everything held about the lead, the entries awaiting their trim included.
        return new LeadExport(await Snapshot(now), [.. await services.ScoreHistory.ListAsync(Workspace, LeadId, LeadLimits.StoredScoreHistory)], now);
    }

    public async Task<bool> Erase()
    {
        if (!State.Exists)
        {
            return false;
        }

        // History and snapshot first: if the state delete then fails, the lead still exists and the erasure is
        // retried as a whole; the other way round a failure would leave rows of a lead that no longer exists.
        await Task.WhenAll(
            services.ScoreHistory.DeleteAsync(Workspace, LeadId), services.Snapshots.DeleteAsync(Workspace, LeadId), services.Experiments.DeleteLeadAsync(Workspace, LeadId));
        try
        {
            await services.Storage.ClearStateAsync<LeadState>(StateName, this.GetGrainId(), this);
            _state = new LeadState();
        }
        finally
        {
            // Nothing of the lead stays in this activation's memory either.
            DeactivateOnIdle();
        }

        _personal = null;
        _score = null;
        _recentScores = null;
        _rememberedIds = null;
        _unstoredActivities = null;
        _activityRows = NoActivityRows;
        _exposedIn = null;
        return true;
    }

    /// <summary>Applies the given flags; true when profiling consent was withdrawn by them.</summary>
    private bool ApplyConsent(ConsentUpdate? consent)
    {
        var hadProfiling = State.ProfilingConsent;
        State.ProfilingConsent = consent?.Profiling ?? State.ProfilingConsent;
        State.MarketingConsent = consent?.Marketing ?? State.MarketingConsent;
        return hadProfiling && !State.ProfilingConsent;
    }

    /// <summary>A lead that withdrew profiling consent is no longer training data.</summary>
    private Task ForgetTrainingSnapshotIf(bool profilingWithdrawn) =>
        profilingWithdrawn && State.Outcome is not null ? services.Snapshots.DeleteAsync(Workspace, LeadId) : Task.CompletedTask;

    private LeadPersonalData Personal =>
        _personal ??= State.Personal is { } sealedData ? services.Protector.Open(sealedData, Workspace, LeadId) : LeadPersonalData.None;

    private void SealPersonal(LeadPersonalData personal)
    {
        State.Personal = personal.IsEmpty ? null : services.Protector.Seal(personal, Workspace, LeadId);
        _personal = personal;
    }

    public async Task<LeadSnapshot?> GetSnapshot() =>
        State.Exists ? await Snapshot(services.Clock.GetUtcNow()) : null;

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

        var remembered = _rememberedIds ??= await LoadRememberedIds();
        int accepted = 0, duplicates = 0;
        foreach (var activity in activities)
        {
            if (activity.ActivityId is { } id && !remembered.Add(ActivityIdHash.Of(id)))
            {
                duplicates++;
                continue;
            }

            FeatureEngine.Apply(State.Aggregates ??= new(), activity, services.Features, now);
            var recent = RecentActivity.Of(activity);
            State.ActivityCount++;
            if (services.Storage is ILeadStateStorage)
            {
                (_unstoredActivities ??= []).Add(new NumberedActivity(State.ActivityCount, recent));
            }
            else
            {
                InsertByOccurrence(State.RecentActivities ??= [], recent);
            }

            accepted++;
        }

        if (accepted > 0)
        {
            TrimRecentActivities();
            State.UpdatedAt = now;
            await PersistRescored(ScoreTrigger.Activity, now);
        }

        return new RecordActivitiesResult(CommandStatus.Ok, accepted, duplicates, NoErrors);
    }

    public async Task<RecordOutcomeResult> RecordOutcome(OutcomeRecord outcome)
    {
        if (!State.Exists)
        {
            return new RecordOutcomeResult(CommandStatus.NotFound, null, NoErrors);
        }

        var now = services.Clock.GetUtcNow();
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
            await services.Snapshots.SaveAsync(new TrainingSnapshot(
                Workspace, LeadId, now, outcome.Converted, outcome.DealValue, outcome.ClosedAt,
                State.Attributes.ToDictionary(a => a.Key, a => a.Value.ToString()), State.Outcome.FeaturesAtOutcome));
        }

        await Persist();
        await services.Experiments.RecordOutcomeAsync(Workspace, LeadId, outcome.Converted, outcome.DealValue);
        if (State.ProfilingConsent && (await LoadRecentScores()).Latest is { } scored)
        {
            // The realized performance of the model that last scored the lead.
            _ = GrainFactory.GetGrainOfResolvedType<IDriftAggregatorGrain>(Workspace)
                .ObserveOutcome(scored.ModelVersion, new LabelledScore(scored.ConversionProbability, outcome.Converted));
        }

        return new RecordOutcomeResult(CommandStatus.Ok, State.Outcome, NoErrors);
    }

    public async Task<ScoreResult> GetScore(bool includeInsights)
    {
        var outcome = await ScoreWithChampion(includeInsights);
        return new ScoreResult(outcome.Status, outcome.Score(LeadId), outcome.CacheHit);
    }

    public async Task<ScoreResult> GetScoreIfChanged(DateTimeOffset knownScoredAt, string knownModelVersion)
    {
        var outcome = await ScoreWithChampion(includeInsights: false);
        // A lead stamps each score it computes with a later time, so its time and model name the score.
        return outcome.Cached is { } cached && cached.ScoredAt.EqualsExact(knownScoredAt) && cached.ModelVersion == knownModelVersion
            ? new ScoreResult(ScoreStatus.Ok, null, CacheHit: true, Unchanged: true)
            : new ScoreResult(outcome.Status, outcome.Score(LeadId), outcome.CacheHit);
    }

    public async Task<BatchScoreResult> GetBatchScore(bool includeInsights)
    {
        var outcome = await ScoreWithChampion(includeInsights);
        // Without insights only the headline travels back: a full score is ten times the size.
        return new BatchScoreResult(outcome.Status, outcome.Summary(LeadId), includeInsights ? outcome.Score(LeadId) : null, outcome.CacheHit);
    }

    private async Task<ChampionScoring> ScoreWithChampion(bool includeInsights)
    {
        if (!State.Exists)
        {
            return new ChampionScoring(ScoreStatus.NotFound);
        }

        if (!State.ProfilingConsent)
        {
            return new ChampionScoring(ScoreStatus.NoConsent);
        }

        var champion = await services.Models.ChampionAsync(Workspace);
        if (champion is null)
        {
            return new ChampionScoring(ScoreStatus.NoModel);
        }

        var now = services.Clock.GetUtcNow();
        if (_score is { } cached && cached.ModelVersion == champion.Version && _scoredHour == FeatureEngine.HourOf(now))
        {
            ScoringMeters.CacheHits.Add(1);
            if (cached.DetailsPending)
            {
                await CompleteDetails(champion, cached);
            }

            // The explanation is of the cached score: the features as they were when it was computed.
            return new ChampionScoring(ScoreStatus.Ok, Cached: cached, CachedExplanation: includeInsights ? Explain(champion, cached.ScoredAt) : null);
        }

        var trigger = _score is null ? ScoreTrigger.Activation
            : _score.ModelVersion != champion.Version ? ScoreTrigger.ModelChanged
            : ScoreTrigger.Time;
        return new ChampionScoring(ScoreStatus.Ok, Fresh: await Rescore(champion, trigger, now, includeInsights));
    }

    /// <summary>A score request's outcome: a fresh score, or the cached one, from which each caller builds what it returns.</summary>
    private readonly record struct ChampionScoring(
        ScoreStatus Status, LeadScore? Fresh = null, CachedScore? Cached = null, ScoreExplanation? CachedExplanation = null)
    {
        public bool CacheHit => Cached is not null;

        public LeadScore? Score(string leadId) =>
            Fresh ?? (Cached is { } cached ? cached.ToScore(leadId) with { Explanation = CachedExplanation } : null);

        public ScoreSummary? Summary(string leadId) => Fresh is { } fresh ? ScoreSummary.Of(fresh) : Cached?.ToSummary(leadId);
    }

    public async Task<ScoreResult> GetExperimentScore(string experimentId, bool includeInsights)
    {
        if (!State.Exists)
        {
            return new ScoreResult(ScoreStatus.NotFound, null, false);
        }

        if (await services.ExperimentDirectory.GetAsync(Workspace, experimentId) is not { } experiment)
        {
            return new ScoreResult(ScoreStatus.ExperimentNotFound, null, false);
        }

        if (experiment.Status != ExperimentStatus.Running || !State.ProfilingConsent)
        {
            return await GetScore(includeInsights);
        }

        var variant = ExperimentAssignment.VariantOf(experiment.Definition, LeadId);
        if (await services.Models.VersionAsync(Workspace, variant.ModelVersion) is not { } model)
        {
            return new ScoreResult(ScoreStatus.NoModel, null, false);
        }

        ScoreResult result;
        if ((await services.Models.ChampionAsync(Workspace))?.Version == model.Version)
        {
            result = await GetScore(includeInsights);
        }
        else
        {
            // Another model than the champion: scored fresh, and kept out of the lead's cache and history,
            // which follow the champion.
            ScoringMeters.CacheMisses.Add(1);
            var now = services.Clock.GetUtcNow();
            var history = await LoadRecentScores();
            result = new ScoreResult(ScoreStatus.Ok, LeadScorer.Score(
                model, Input(now, ScoreTrigger.Activation, history.Probabilities, await RecentActivities()), Grades, includeInsights), false);
        }

        if (!(_exposedIn ??= new HashSet<string>(StringComparer.Ordinal)).Contains(experimentId))
        {
            await services.Experiments.RecordExposureAsync(Workspace, experimentId, LeadId, variant.Name, services.Clock.GetUtcNow());
            _exposedIn.Add(experimentId);
        }

        return result with { ExperimentVariant = variant.Name };
    }

    public async Task<ScoreHistoryResult> GetScoreHistory() =>
        State.Exists
            ? new ScoreHistoryResult(ScoreStatus.Ok, [.. await services.ScoreHistory.ListAsync(Workspace, LeadId)])
            : new ScoreHistoryResult(ScoreStatus.NotFound, []);

    /// <summary>
    /// After a change: the lead rescores (when it may be and can be scored) and the new state and the history
    /// entry are written together (<see cref="PersistWithHistory"/>), so that the change costs one commit's
    /// wait and reads after it are cache hits. Only the score's headline is decided here; its factors,
    /// dimensions and recommendations wait for the next read (<see cref="CompleteDetails"/>), since a lead
    /// may take many activities between two reads. If the write fails the caller gets the error, the
    /// activation is dropped and the next call starts again from what was persisted.
    /// </summary>
    private async Task PersistRescored(ScoreTrigger trigger, DateTimeOffset now)
    {
        // The lead changed: its score is stale until rescored, but its instance can take the new score.
        var reusable = _score;
        _score = null;
        if (!State.ProfilingConsent || await services.Models.ChampionAsync(Workspace) is not { } champion)
        {
            await Persist();
            return;
        }

        ScoringMeters.CacheMisses.Add(1);
        var history = await LoadRecentScores();
        now = StampAfter(now, reusable);
        // The headline needs no recent activities (only the recommendations do).
        var input = Input(now, trigger, history.Probabilities, []);
        var encoded = Encode(champion, input);
        var headline = LeadScorer.Headline(champion, input, encoded, Grades);
        var entry = Observe(champion, encoded, input, headline, history);
        await PersistWithHistory(entry, history);
        Remember(entry, history, now, reusable?.Defer(headline) ?? new CachedScore(headline));
    }

    private async Task<LeadScore> Rescore(ChampionModel champion, ScoreTrigger trigger, DateTimeOffset now, bool explain)
    {
        ScoringMeters.CacheMisses.Add(1);
        var history = await LoadRecentScores();
        now = StampAfter(now, _score);
        var input = Input(now, trigger, history.Probabilities, await RecentActivities());
        var encoded = Encode(champion, input);
        var score = LeadScorer.Score(champion, input, encoded, Grades, explain);
        var entry = Observe(champion, encoded, input, ScoreHeadline.Of(score), history);
        await AppendHistory(entry, history);
        Remember(entry, history, now, _score?.Update(score, champion) ?? new CachedScore(score, champion));
        return score;
    }

    /// <summary>
    /// The time a new score is stamped with: now, or a tick after the lead's previous score when the clock has
    /// not passed it, so that a lead's scored_at and model version name one score (<see cref="GetScoreIfChanged"/>).
    /// A new activation's first score needs no guard: the clock has moved on since the last one was stamped.
    /// </summary>
    private static DateTimeOffset StampAfter(DateTimeOffset now, CachedScore? previous) =>
        previous is { } last && now <= last.ScoredAt ? last.ScoredAt.AddTicks(1) : now;

    /// <summary>
    /// The rest of a score whose headline a change decided: from the lead as it was when it was scored, which
    /// it still is (any change since would have rescored it). The trend is in the headline, so no history is needed.
    /// </summary>
    private async Task CompleteDetails(ChampionModel champion, CachedScore cached)
    {
        var headline = cached.Headline;
        var input = Input(headline.ScoredAt, headline.Trigger, [], await RecentActivities());
        cached.Update(LeadScorer.Complete(champion, input, Encode(champion, input), headline, Grades), champion);
    }

    private static EncodedLead Encode(ChampionModel champion, LeadScoringInput input) => champion.Encode(input.Attributes, input.Features);

    /// <summary>
    /// Drift detection sees every rescore with the champion (the silo's pre-aggregator is told without
    /// waiting). Returns the history entry the score deserves: changes always; a rescore nothing asked for
    /// only when it moved the score or the model.
    /// </summary>
    private ScoreHistoryEntry? Observe(ChampionModel champion, EncodedLead encoded, LeadScoringInput input, ScoreHeadline score, RecentScores history)
    {
        _ = GrainFactory.GetGrainOfResolvedType<IDriftAggregatorGrain>(Workspace)
            .Observe(DriftSamples.Of(champion, encoded, input.Attributes, input.Features, score.ConversionProbability));
        var recorded = input.Trigger is ScoreTrigger.Activity or ScoreTrigger.Attributes || history.Latest is not { } last
            || last.ModelVersion != score.ModelVersion || Math.Abs(last.OverallScore - score.OverallScore) >= 0.1;
        return recorded
            ? new ScoreHistoryEntry(score.ScoredAt, score.OverallScore, score.ConversionProbability, score.Grade, score.ModelVersion, input.Trigger)
            : null;
    }

    /// <summary>
    /// The changed state with the history entry of the score it now holds and the activities taken since the
    /// last write: one transaction where the storage can (PostgreSQL: the entry and the activities only if the
    /// state write succeeds), otherwise the state (activities included) and the entry at once.
    /// </summary>
    private Task PersistWithHistory(ScoreHistoryEntry? entry, RecentScores? history)
    {
        if (services.Storage is not ILeadStateStorage storage)
        {
            var write = Persisted(services.Storage.WriteStateAsync<LeadState>(StateName, this.GetGrainId(), this));
            return entry is null ? write : Task.WhenAll(write, AppendHistory(entry, history!));
        }

        IReadOnlyList<NumberedActivity> activities = _unstoredActivities is { } unstored ? [.. unstored] : [];
        var (idChunks, forgetIdChunksBelow) = _rememberedIds?.TakeUnstored() ?? ([], 0);
        var extras = new LeadWriteExtras(entry, entry is not null && history!.TrimsOnNextAppend, activities, _activityRows.TrimsWith(activities.Count))
        {
            IdChunks = idChunks,
            ForgetIdChunksBelow = forgetIdChunksBelow,
        };
        return Stored(storage.WriteStateAsync<LeadState>(StateName, this.GetGrainId(), this, extras), activities.Count);
    }

    private async Task Stored(Task write, int activities)
    {
        await Persisted(write);
        _activityRows = _activityRows.Append(activities);
        // Only those written: a call interleaved with the write may have added more.
        _unstoredActivities?.RemoveRange(0, activities);
        if (_unstoredActivities is { Count: 0 })
        {
            _unstoredActivities = null;
        }
    }

    private Task AppendHistory(ScoreHistoryEntry? entry, RecentScores history) =>
        entry is null ? Task.CompletedTask : services.ScoreHistory.AppendAsync(Workspace, LeadId, entry, history.TrimsOnNextAppend);

    private void Remember(ScoreHistoryEntry? entry, RecentScores history, DateTimeOffset now, CachedScore score)
    {
        if (entry is not null)
        {
            history.Add(entry);
        }

        _score = score;
        _scoredHour = FeatureEngine.HourOf(now);
    }

    private ScoreExplanation Explain(ChampionModel champion, DateTimeOffset scoredAt)
    {
        return LeadScorer.Explain(champion, State.Attributes, Features(scoredAt));
    }

    private GradeThresholds Grades => services.Scoring.GradesOf(Workspace);

    private LeadScoringInput Input(DateTimeOffset now, ScoreTrigger trigger, IReadOnlyList<double> history, IReadOnlyList<RecentActivity> recent) =>
        new(LeadId, State.Attributes, Features(now), recent, history, now, trigger);

    /// <summary>
    /// The lead's newest activities, newest occurrence first (then in the order taken): the state's list, or with a
    /// storage that keeps them as rows, the stored rows with those taken since the last write.
    /// </summary>
    private async Task<IReadOnlyList<RecentActivity>> RecentActivities()
    {
        if (services.Storage is not ILeadStateStorage storage)
        {
            return State.RecentActivities ?? [];
        }

        var stored = _activityRows.Count == 0 ? [] : await storage.ReadRecentActivitiesAsync(this.GetGrainId(), LeadLimits.RecentActivities);
        if (_unstoredActivities is not { } unstored)
        {
            return stored.Select(row => row.Activity).ToList();
        }

        return stored.Concat(unstored)
            .OrderByDescending(row => row.Activity.OccurredAt).ThenBy(row => row.Received)
            .Take(LeadLimits.RecentActivities).Select(row => row.Activity).ToList();
    }

    private async Task<RecentScores> LoadRecentScores() =>
        _recentScores ??= new RecentScores(await services.ScoreHistory.ListAsync(Workspace, LeadId));

    public string Workspace => Key.Workspace;

    private string LeadId => Key.Id;

    private (string Workspace, string Id) Key => _key ??= ParseKey(this.GetPrimaryKeyString());

    private static (string Workspace, string Id) ParseKey(string key)
    {
        var (workspace, id) = WorkspaceKey.Parse(key);
        return (SharedValues.Text(workspace), id);
    }

    /// <summary>Keeps the list newest first; activities mostly arrive in order, so the place is found at the front.</summary>
    private static void InsertByOccurrence(List<RecentActivity> newestFirst, RecentActivity activity)
    {
        var at = 0;
        while (at < newestFirst.Count && newestFirst[at].OccurredAt >= activity.OccurredAt)
        {
            at++;
        }

        newestFirst.Insert(at, activity);
    }

    private void TrimRecentActivities()
    {
        if (State.RecentActivities is { Count: > LeadLimits.RecentActivities } recent)
        {
            recent.RemoveRange(LeadLimits.RecentActivities, recent.Count - LeadLimits.RecentActivities);
        }
    }

    private async Task<RememberedActivityIds> LoadRememberedIds()
    {
        if (services.Storage is not ILeadStateStorage storage)
        {
            return new RememberedActivityIds(State, chunked: false, []);
        }

        var chunks = State.ActivityIdChunks == 0 ? [] : await storage.ReadActivityIdChunksAsync(this.GetGrainId());
        return new RememberedActivityIds(State, chunked: true, chunks);
    }

    /// <summary>
    /// Writes the state; if that fails the in-memory state is ahead of storage, so the activation is dropped
    /// and the next call starts again from what was persisted.
    /// </summary>
    private Task Persist() => PersistWithHistory(null, null);

    private async Task Persisted(Task write)
    {
        try
        {
            await write;
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private IReadOnlyList<FeatureValue> Features(DateTimeOffset now) =>
        FeatureEngine.Compute(State.Aggregates ?? NoActivity, State.CreatedAt, now, services.Features);

    private async Task<LeadSnapshot> Snapshot(DateTimeOffset now)
    {
        var recent = await RecentActivities();
        var personal = Personal;
        return new LeadSnapshot(
            Workspace,
            LeadId,
            new Dictionary<string, LeadAttributeValue>(State.Attributes),
            personal.Email,
            personal.Name,
            new LeadConsent(State.ProfilingConsent, State.MarketingConsent),
            State.CreatedAt,
            State.UpdatedAt,
            State.ActivityCount,
            Features(now),
            [.. recent.Select(a => a.ToRecord())],
            State.Outcome,
            personal.Phone,
            new Dictionary<string, string>(personal.Attributes, StringComparer.Ordinal));
    }
}
