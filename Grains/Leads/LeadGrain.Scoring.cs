using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Drift;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Grains.Leads;

/// <summary>Scoring with the champion: the cached score, rescoring after a change, history and drift observations.</summary>
public sealed partial class LeadGrain
{
    // The latest score and the hour its time-based features were computed in; null once the lead changed.
    private CachedScore? _score;
    private int _scoredHour;

    // Loaded from the history store the first time this activation scores.
    private RecentScores? _recentScores;

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
        if (entry is not null)
        {
            UnstoredEvents.AddRange(LeadEvents.Scored(Workspace, LeadId, headline, history.Latest));
        }

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
        var headline = ScoreHeadline.Of(score);
        var entry = Observe(champion, encoded, input, headline, history);
        await AppendHistory(entry, headline, history);
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

    private Task AppendHistory(ScoreHistoryEntry? entry, ScoreHeadline score, RecentScores history) =>
        entry is null
            ? Task.CompletedTask
            : services.ScoreHistory.AppendAsync(
                Workspace, LeadId, entry, history.TrimsOnNextAppend, [.. LeadEvents.Scored(Workspace, LeadId, score, history.Latest)]);

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

    private async Task<RecentScores> LoadRecentScores() =>
        _recentScores ??= new RecentScores(await services.ScoreHistory.ListAsync(Workspace, LeadId));
}
