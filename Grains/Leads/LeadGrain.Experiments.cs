using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Experiments;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Grains.Leads;

/// <summary>A/B experiments: the lead's variant scores it, and its exposure is stored once.</summary>
public sealed partial class LeadGrain
{
    // Experiments whose exposure of this lead is already stored (the store ignores repeats; this saves the writes).
    private HashSet<string>? _exposedIn;

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
}
