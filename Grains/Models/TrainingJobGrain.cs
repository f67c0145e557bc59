using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Grains.Models;

[GenerateSerializer, Alias("LeadScoring.TrainingJobState.Persisted")]
public sealed class TrainingJobRecord
{
    [Id(0)] public TrainingJobStatus? Status { get; set; }
}

/// <summary>
/// Runs one training job on the thread pool (training takes seconds to minutes of CPU and must not hold the
/// grain scheduler), reports stage and percent while it runs, registers the model when it succeeds and makes
/// it the champion when the workspace has none.
/// </summary>
public sealed class TrainingJobGrain(
    [PersistentState("trainingJob", GrainStorage.Name)] IPersistentState<TrainingJobRecord> job,
    IModelRegistry registry,
    ITrainingSnapshotStore snapshots,
    Scoring.ScoringCaches caches,
    TimeProvider clock,
    ILogger<TrainingJobGrain> logger) : Grain, ITrainingJobGrain, ITrainingJobCallback, IWorkspaceScoped
{
    private volatile TrainingProgress _progress = new("queued", 0);

    public string Workspace => WorkspaceKey.Parse(this.GetPrimaryKeyString()).Workspace;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A job that was running when its silo went away will not finish: say so instead of "running" forever.
        if (job.State.Status is { State: TrainingJobState.Running } orphan)
        {
            job.State.Status = orphan with
            {
                State = TrainingJobState.Failed,
                Error = "the silo running this job stopped before it finished; start a new job",
                FinishedAt = clock.GetUtcNow(),
            };
            await job.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<TrainingJobStatus> Start(TrainingRequest request)
    {
        if (job.State.Status is { } existing)
        {
            return Current(existing);
        }

        var (workspace, jobId) = WorkspaceKey.Parse(this.GetPrimaryKeyString());
        var started = new TrainingJobStatus(jobId, TrainingJobState.Running, "queued", 0, null, null, null, clock.GetUtcNow(), null);
        job.State.Status = started;
        await job.WriteStateAsync();
        DelayDeactivation(TimeSpan.FromHours(2));
        var self = this.AsReference<ITrainingJobCallback>();
        _ = Task.Run(() => Run(workspace, request, started, self));
        return started;
    }

    public Task<TrainingJobStatus?> GetStatus() => Task.FromResult(job.State.Status is { } status ? Current(status) : null);

    /// <summary>Called back on the grain's scheduler by the training task.</summary>
    public async Task Finish(TrainingJobStatus finished)
    {
        job.State.Status = finished;
        await job.WriteStateAsync();
        DelayDeactivation(TimeSpan.Zero);
    }

    private TrainingJobStatus Current(TrainingJobStatus status) =>
        status.State == TrainingJobState.Running ? status with { Stage = _progress.Stage, Percent = _progress.Percent } : status;

    /// <summary>Runs on the thread pool: it must not touch the grain's state, only report back through <paramref name="self"/>.</summary>
    private async Task Run(string workspace, TrainingRequest request, TrainingJobStatus started, ITrainingJobCallback self)
    {
        TrainingJobStatus finished;
        try
        {
            var (table, options) = request.Csv is { } csv
                ? (CsvTable.Parse(new StreamReader(new MemoryStream(csv))), Options(request, request.Label!))
                : (TrainingSnapshot.ToTable(await snapshots.ListAsync(workspace)), TrainingSnapshot.HistoryOptions(Options(request, TrainingSnapshot.LabelColumn)));
            if (table.Rows.Count == 0)
            {
                throw new TrainingInputException("this workspace has no leads with recorded outcomes yet");
            }

            var result = new EnsembleTrainer(options, new Progress(p => _progress = p)).Train(table);
            var version = await registry.RegisterAsync(workspace, result);
            if (await registry.ChampionAsync(workspace) is null)
            {
                await registry.PromoteAsync(workspace, version.Version, "first model of the workspace");
                await caches.ChampionChanged(workspace);
            }

            finished = started with
            {
                State = TrainingJobState.Succeeded, Stage = "done", Percent = 100, ModelVersion = version.Version,
                ReportJson = JsonSerializer.Serialize(result.Report, ReportJson.Options), FinishedAt = clock.GetUtcNow(),
            };
        }
        catch (Exception e) when (e is TrainingInputException or FormatException)
        {
            finished = started with { State = TrainingJobState.Failed, Stage = _progress.Stage, Error = e.Message, FinishedAt = clock.GetUtcNow() };
        }
        catch (Exception e)
        {
            logger.LogError(e, "Training job {Job} failed", started.JobId);
            finished = started with { State = TrainingJobState.Failed, Stage = _progress.Stage, Error = "training failed unexpectedly; see the silo log", FinishedAt = clock.GetUtcNow() };
        }

        try
        {
            await self.Finish(finished);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Training job {Job} could not record its result", started.JobId);
        }
    }

    private static TrainingOptions Options(TrainingRequest request, string label) => new()
    {
        Label = label,
        Positive = request.Positive,
        Negative = request.Negative,
        Exclude = request.Exclude,
        ExcludeLeaky = request.ExcludeLeaky,
        TimeColumn = request.TimeColumn,
        FairnessColumn = request.FairnessColumn,
        Blend = request.Blend == "fixed" ? BlendMode.Fixed : BlendMode.Fitted,
        Schema = request.Schema is { } schema ? SchemaFile.Parse(schema, "the schema") : null,
    };

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

/// <summary>How the background training task hands its result back to its grain.</summary>
[Alias("LeadScoring.ITrainingJobCallback")]
public interface ITrainingJobCallback : IGrainWithStringKey
{
    [Alias("Finish")]
    Task Finish(TrainingJobStatus finished);
}
