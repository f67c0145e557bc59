namespace LeadScoring.Grains.Interfaces;

/// <summary>One lead, keyed "{workspace}/{lead_id}" (see <see cref="WorkspaceKey"/>).</summary>
/// <remarks>Every command returns only after the new state is persisted.</remarks>
[Alias("LeadScoring.ILeadGrain")]
public interface ILeadGrain : IGrainWithStringKey
{
    [Alias("Upsert")]
    Task<UpsertLeadResult> Upsert(LeadUpsert upsert);

    /// <summary>
    /// A row of an imported export: the upsert and, when given, the outcome, validated together and stored in
    /// one write, or nothing when either is invalid. When the lead already holds exactly these attributes and this
    /// outcome nothing is written (<see cref="LeadImportStatus.Unchanged"/>), so importing a file again changes nothing.
    /// </summary>
    [Alias("Import")]
    Task<LeadImportResult> Import(LeadUpsert upsert, OutcomeRecord? outcome);

    /// <summary>The lead as of now, or null when no such lead was ever created.</summary>
    [Alias("GetSnapshot")]
    Task<LeadSnapshot?> GetSnapshot();

    [Alias("RecordActivities")]
    Task<RecordActivitiesResult> RecordActivities(IReadOnlyList<ActivityRecord> activities);

    [Alias("RecordOutcome")]
    Task<RecordOutcomeResult> RecordOutcome(OutcomeRecord outcome);

    /// <summary>
    /// The lead's score with the workspace's champion model: the cached one when nothing changed, else a new one.
    /// Exact explanations are computed only when <paramref name="includeInsights"/> is set.
    /// </summary>
    [Alias("GetScore")]
    Task<ScoreResult> GetScore(bool includeInsights);

    /// <summary>
    /// <see cref="GetScore"/> without insights for a caller that holds a score of the lead already (its
    /// scored_at and model version): when that is still the lead's score the answer says so
    /// (<see cref="ScoreResult.Unchanged"/>) instead of carrying it again, otherwise it is the new score.
    /// </summary>
    [Alias("GetScoreIfChanged")]
    Task<ScoreResult> GetScoreIfChanged(DateTimeOffset knownScoredAt, string knownModelVersion);

    /// <summary>
    /// <see cref="GetScore"/> as a batch reports it: the headline always, the whole score only with insights.
    /// </summary>
    [Alias("GetBatchScore")]
    Task<BatchScoreResult> GetBatchScore(bool includeInsights);

    /// <summary>
    /// The lead's score in an A/B test: with the model of the variant the lead is assigned to (sticky, the same
    /// on every silo), recording the lead's exposure the first time. A stopped experiment scores with the
    /// champion and records nothing.
    /// </summary>
    [Alias("GetExperimentScore")]
    Task<ScoreResult> GetExperimentScore(string experimentId, bool includeInsights);

    /// <summary>The lead's most recent scores, newest first (at most <c>LeadLimits.ScoreHistory</c>).</summary>
    [Alias("GetScoreHistory")]
    Task<ScoreHistoryResult> GetScoreHistory();

    /// <summary>
    /// Replaces the given consent flags. Without profiling consent the lead is neither scored nor used for
    /// training: its training snapshot is removed.
    /// </summary>
    [Alias("UpdateConsent")]
    Task<UpdateConsentResult> UpdateConsent(ConsentUpdate consent);

    /// <summary>Everything held about the lead, or null when there is no such lead.</summary>
    [Alias("Export")]
    Task<LeadExport?> Export();

    /// <summary>
    /// Erases the lead everywhere it is held (state, score history, training snapshot); afterwards it is as if
    /// it never existed. False when there was no such lead.
    /// </summary>
    [Alias("Erase")]
    Task<bool> Erase();

    /// <summary>The lead's line in the workspace's lead index (its score's headline, consent, outcome, attributes); null when there is no such lead.</summary>
    [Alias("GetIndexEntry")]
    Task<LeadIndexEntry?> GetIndexEntry();
}
