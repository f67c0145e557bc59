using LeadScoring.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Grains.Import;

[GenerateSerializer, Alias("LeadScoring.ImportJobState.Persisted")]
public sealed class ImportJobRecord
{
    [Id(0)] public ImportJobStatus? Status { get; set; }
}

/// <summary>
/// Runs one import on the thread pool: reads the export, joins its side files, and sends its rows in chunks to
/// <see cref="ILeadImportBatchGrain"/>s, several chunks at a time, counting what each row became. The job's record
/// is persisted when it starts, every few seconds while it runs, and when it ends; between those the counts are the
/// running task's.
/// </summary>
public sealed class ImportJobGrain(
    [PersistentState("importJob", GrainStorage.Name)] IPersistentState<ImportJobRecord> job,
    TimeProvider clock,
    ILogger<ImportJobGrain> logger) : Grain, IImportJobGrain, IImportJobCallback, IWorkspaceScoped
{
    private ImportRun? _run;

    public string Workspace => WorkspaceKey.Parse(this.GetPrimaryKeyString()).Workspace;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A job that was running when its silo went away will not finish: say so instead of "running" forever.
        if (job.State.Status is { State: ImportJobState.Running } orphan)
        {
            job.State.Status = orphan with
            {
                State = ImportJobState.Failed,
                Error = "the silo running this import stopped before it finished; import the file again (rows already stored stay as they are)",
                FinishedAt = clock.GetUtcNow(),
            };
            await job.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<ImportStart> Start(ImportRequest request)
    {
        if (job.State.Status is { } existing)
        {
            return new ImportStart(Current(existing), []);
        }

        // Reading a large export takes a while of CPU: off the grain's scheduler.
        var errors = new List<ValidationError>();
        var (export, delimiter) = await Task.Run(() => ImportRun.Open(request, errors));
        if (export is null)
        {
            DeactivateOnIdle();
            return new ImportStart(null, errors);
        }

        var (workspace, jobId) = WorkspaceKey.Parse(this.GetPrimaryKeyString());
        var started = new ImportJobStatus(jobId, ImportJobState.Running, export.Count, 0, 0, 0, 0, 0, 0, 0, [], delimiter, null, clock.GetUtcNow(), null);
        job.State.Status = started;
        await job.WriteStateAsync();
        DelayDeactivation(TimeSpan.FromHours(2));
        var run = _run = new ImportRun(GrainFactory, workspace, clock, logger);
        var self = this.AsReference<IImportJobCallback>();
        _ = Task.Run(async () =>
        {
            var finished = await run.Execute(export, started, self.Checkpoint);
            try
            {
                await self.Finish(finished);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Import job {Job} could not record its result", jobId);
            }
        });
        return new ImportStart(started, []);
    }

    public Task<ImportJobStatus?> GetStatus() => Task.FromResult(job.State.Status is { } status ? Current(status) : null);

    /// <summary>Called back by the running import every few seconds, so that a job whose silo dies says how far it got.</summary>
    public async Task Checkpoint(ImportJobStatus progress)
    {
        if (job.State.Status is { State: ImportJobState.Running })
        {
            job.State.Status = progress;
            await job.WriteStateAsync();
        }
    }

    /// <summary>Called back on the grain's scheduler by the import task.</summary>
    public async Task Finish(ImportJobStatus finished)
    {
        job.State.Status = finished;
        await job.WriteStateAsync();
        _run = null;
        DelayDeactivation(TimeSpan.Zero);
    }

    private ImportJobStatus Current(ImportJobStatus status) =>
        status.State == ImportJobState.Running && _run is { } run ? run.Progress(status) : status;
}

/// <summary>How the background import task hands its result back to its grain.</summary>
[Alias("LeadScoring.IImportJobCallback")]
public interface IImportJobCallback : IGrainWithStringKey
{
    [Alias("Checkpoint")]
    Task Checkpoint(ImportJobStatus progress);

    [Alias("Finish")]
    Task Finish(ImportJobStatus finished);
}
