using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.Scoring;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadScoring.Grains.Retraining;

/// <summary>
/// Retrains a workspace's model from its own labelled history and lets the challenger replace the champion only
/// when it wins (<see cref="ChallengerEvaluation"/>). The job runs on the thread pool, off the grain scheduler,
/// and touches only thread-safe services; scoring goes on with the champion meanwhile. Every run ends in a
/// stored decision.
/// </summary>
public sealed class RetrainingGrain(
    ITrainingSnapshotStore snapshots,
    IModelRegistry registry,
    ModelCache models,
    IRetrainingDecisionStore decisions,
    IEventOutbox outbox,
    ISystemAudit audit,
    IOptions<RetrainingOptions> options,
    TimeProvider clock,
    ILogger<RetrainingGrain> logger) : Grain, IRetrainingGrain, IRemindable, IWorkspaceScoped
{
    private const string ReminderName = "retraining";
    private const int ListedDecisions = 50;

    private Task? _running;

    public string Workspace => this.GetPrimaryKeyString();

    public Task<bool> Start(string trigger)
    {
        if (_running is { IsCompleted: false })
        {
            return Task.FromResult(false);
        }

        // Training takes minutes of CPU: keep the activation (and so the one-job-at-a-time guard) meanwhile.
        DelayDeactivation(TimeSpan.FromHours(2));
        var registryGrain = GrainFactory.GetGrain<IModelRegistryGrain>(Workspace);
        _running = Task.Run(() => Run(Workspace, trigger, registryGrain));
        return Task.FromResult(true);
    }

    public async Task<RetrainingStatus> GetStatus() =>
        new(_running is { IsCompleted: false }, await decisions.ListAsync(Workspace, ListedDecisions));

    public async Task EnsureScheduled()
    {
        var period = options.Value.Period;
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? Start("scheduled") : Task.CompletedTask;

    private async Task Run(string workspace, string trigger, IModelRegistryGrain registryGrain)
    {
        RetrainingDecision decision;
        string? challengerVersion = null;
        try
        {
            (decision, challengerVersion) = await Retrain(workspace, trigger, registryGrain);
        }
        catch (Exception e) when (e is TrainingInputException)
        {
            decision = new RetrainingDecision(clock.GetUtcNow(), trigger, RetrainingOutcome.Skipped, e.Message, null, null);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Retraining of workspace {Workspace} failed", workspace);
            decision = new RetrainingDecision(clock.GetUtcNow(), trigger, RetrainingOutcome.Failed, $"retraining failed: {e.Message}", null, null);
        }

        try
        {
            await decisions.AddAsync(workspace, decision);
            await outbox.AppendAsync([EventData.Event(EventTypes.RetrainingDecided, workspace, decision.At, null, writer =>
            {
                writer.WriteString("trigger", decision.Trigger);
                writer.WriteString("outcome", decision.Outcome.ToString().ToLowerInvariant());
                writer.WriteString("explanation", decision.Explanation);
                writer.WriteString("challenger_version", challengerVersion);
            })]);
            await audit.RecordAsync(
                workspace,
                decision.Outcome == RetrainingOutcome.Promoted ? "model.promote" : "model.retrain",
                challengerVersion is null ? null : $"model:{challengerVersion}",
                decision.Outcome switch { RetrainingOutcome.Skipped => "rejected", RetrainingOutcome.Failed => "failed", _ => "succeeded" },
                $"retraining-{Guid.NewGuid():N}");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not store or audit the retraining decision of workspace {Workspace}: {Decision}", workspace, decision);
        }
    }

    /// <returns>The decision, and the challenger's version when one was registered.</returns>
    private async Task<(RetrainingDecision, string?)> Retrain(string workspace, string trigger, IModelRegistryGrain registryGrain)
    {
        (RetrainingDecision, string?) Skipped(string why) => (new(clock.GetUtcNow(), trigger, RetrainingOutcome.Skipped, why, null, null), null);

        var labelled = await snapshots.ListAsync(workspace);
        if (ChallengerEvaluation.TooLittleData(labelled) is { } tooLittle)
        {
            return Skipped(tooLittle);
        }

        if (await models.ChampionAsync(workspace) is not { } champion)
        {
            return Skipped("the workspace has no champion to compare with: train and promote a first model");
        }

        var (training, evaluation) = ChallengerEvaluation.SplitByTime(labelled);
        if (ChallengerEvaluation.TooLittleData(training) is { } tooLittleToTrain)
        {
            return Skipped($"older 80%: {tooLittleToTrain}");
        }

        if (evaluation.All(s => s.Converted) || !evaluation.Any(s => s.Converted))
        {
            return Skipped("the latest 20% of labelled leads hold a single outcome: the models cannot be compared on them");
        }

        var trainingOptions = TrainingSnapshot.HistoryOptions(new TrainingOptions { Label = TrainingSnapshot.LabelColumn, SearchBudget = options.Value.SearchBudget });
        var result = new EnsembleTrainer(trainingOptions).Train(TrainingSnapshot.ToTable(training));
        var registered = await registry.RegisterAsync(workspace, result);
        var challenger = ChampionModel.Load(registered.Version, result.Artifact);
        var championScore = ChallengerEvaluation.Evaluate(champion, evaluation);
        var challengerScore = ChallengerEvaluation.Evaluate(challenger, evaluation);
        var (promote, explanation) = ChallengerEvaluation.Decide(championScore, challengerScore, options.Value.AucMargin, options.Value.EceTolerance);
        if (promote)
        {
            await registryGrain.Promote(registered.Version, $"automatic retraining ({trigger}): {explanation}");
        }

        return (new RetrainingDecision(clock.GetUtcNow(), trigger, promote ? RetrainingOutcome.Promoted : RetrainingOutcome.Candidate,
            explanation, championScore, challengerScore), registered.Version);
    }
}
