using System.Diagnostics;
using System.Text;
using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Import;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Grains.Import;

/// <summary>
/// One import as it runs, off the grain's scheduler: the rows go to the cluster in chunks, several at a time, and
/// the counts are read by the job grain whenever its status is asked for.
/// </summary>
internal sealed class ImportRun(IGrainFactory grains, string workspace, TimeProvider clock, ILogger logger)
{
    /// <summary>Rows per call of a batch grain: enough for the leads' writes to share group commits.</summary>
    private const int ChunkRows = 250;

    /// <summary>Chunks in flight at once.</summary>
    private const int ChunksInFlight = 4;

    /// <summary>How often the counts are written to the job's record while it runs.</summary>
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(2);

    /// <summary>How long rows the cluster cannot store now are tried again before they count as failed.</summary>
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

    private readonly Lock _problemsLock = new();
    private readonly List<ImportRowProblem> _problems = [];
    private int _processed, _created, _updated, _unchanged, _rejected, _failed, _outcomes;

    /// <summary>The status with the counts so far.</summary>
    public ImportJobStatus Progress(ImportJobStatus started) => started with
    {
        Processed = Volatile.Read(ref _processed),
        Created = Volatile.Read(ref _created),
        Updated = Volatile.Read(ref _updated),
        Unchanged = Volatile.Read(ref _unchanged),
        Rejected = Volatile.Read(ref _rejected),
        Failed = Volatile.Read(ref _failed),
        Outcomes = Volatile.Read(ref _outcomes),
        Problems = ListedProblems(),
    };

    /// <summary>The export with its side files joined, and how its fields were separated; null with the reasons when it cannot be imported.</summary>
    public static (ExportLeads? Export, string? Delimiter) Open(ImportRequest request, List<ValidationError> errors)
    {
        if (Parse(request.Csv, "file", errors) is not { } table)
        {
            return (null, null);
        }

        foreach (var join in request.Joins)
        {
            if (Parse(join.Csv, "join", errors) is not { } side)
            {
                return (null, null);
            }

            try
            {
                table = CsvJoin.LeftJoin(table, side, join.Key, Path.GetFileNameWithoutExtension(join.Name));
            }
            catch (TrainingInputException refused)
            {
                errors.Add(new("join_key", $"{join.Name}: {refused.Message}"));
                return (null, null);
            }
        }

        return (ExportLeads.Open(table, request.IdColumn, request.Label, request.Positive, request.Negative, errors, request.DealValueColumn, request.CloseDateColumn),
            table.DelimiterName);

        static CsvTable? Parse(byte[] csv, string field, List<ValidationError> errors)
        {
            try
            {
                return CsvTable.Parse(new StreamReader(new MemoryStream(csv), Encoding.UTF8, detectEncodingFromByteOrderMarks: true));
            }
            catch (FormatException malformed)
            {
                errors.Add(new(field, $"is not a CSV file this import can read: {malformed.Message}"));
                return null;
            }
        }
    }

    /// <returns>The job's final status: succeeded (even with rejected rows, which the report lists), or failed with the reason.</returns>
    /// <param name="checkpoint">Persists the counts so far (a failed checkpoint is logged; the import goes on).</param>
    public async Task<ImportJobStatus> Execute(ExportLeads export, ImportJobStatus started, Func<ImportJobStatus, Task> checkpoint)
    {
        using var done = new CancellationTokenSource();
        var checkpoints = Checkpoints(started, checkpoint, done.Token);
        try
        {
            using var inFlight = new SemaphoreSlim(ChunksInFlight);
            var chunks = new List<Task>();
            foreach (var chunk in export.Rows().Chunk(ChunkRows))
            {
                await inFlight.WaitAsync();
                chunks.Add(Task.Run(async () =>
                {
                    try
                    {
                        await Import(chunk);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }));
            }

            await Task.WhenAll(chunks);
            return Progress(started) with { State = ImportJobState.Succeeded, FinishedAt = clock.GetUtcNow() };
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import job {Job} failed", started.JobId);
            return Progress(started) with { State = ImportJobState.Failed, Error = "the import failed unexpectedly; see the silo log", FinishedAt = clock.GetUtcNow() };
        }
        finally
        {
            await done.CancelAsync();
            await checkpoints;
        }
    }

    private async Task Checkpoints(ImportJobStatus started, Func<ImportJobStatus, Task> checkpoint, CancellationToken done)
    {
        using var timer = new PeriodicTimer(CheckpointEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                try
                {
                    await checkpoint(Progress(started));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Import job {Job} could not record its progress", started.JobId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The import ended: its final status is written by the job.
        }
    }

    private async Task Import(ExportRow[] chunk)
    {
        var pending = new List<LeadImportRow>(chunk.Length);
        foreach (var row in chunk)
        {
            if (row.Problem is { } problem)
            {
                Reject(problem);
            }
            else
            {
                pending.Add(row.Lead!);
            }
        }

        var waited = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(100);
        while (pending.Count > 0)
        {
            IReadOnlyList<LeadImportResult?> results;
            try
            {
                results = await grains.GetGrain<ILeadImportBatchGrain>(0).Import(workspace, pending);
            }
            catch (Exception e) when (ClusterFailures.IsUnavailable(e) || PostgresFailures.IsUnavailable(e))
            {
                results = [.. pending.Select(_ => (LeadImportResult?)new LeadImportResult(LeadImportStatus.Unavailable, []))];
            }

            var unavailable = new List<LeadImportRow>();
            for (var i = 0; i < pending.Count; i++)
            {
                var row = pending[i];
                switch (results[i])
                {
                    case { Status: LeadImportStatus.Created }:
                        Count(ref _created, row);
                        break;
                    case { Status: LeadImportStatus.Updated }:
                        Count(ref _updated, row);
                        break;
                    case { Status: LeadImportStatus.Unchanged }:
                        Count(ref _unchanged, row);
                        break;
                    case { Status: LeadImportStatus.Invalid, Errors: var errors }:
                        Reject(new ImportRowProblem(row.Row, row.LeadId, string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}"))));
                        break;
                    case { Status: LeadImportStatus.Unavailable } when waited.Elapsed < RetryFor:
                        unavailable.Add(row);
                        break;
                    case { Status: LeadImportStatus.Unavailable }:
                        Fail(new ImportRowProblem(row.Row, row.LeadId, "unavailable: the lead's silo or the database could not be reached; import the file again to store it"));
                        break;
                    default:
                        Fail(new ImportRowProblem(row.Row, row.LeadId, "internal error while storing this row (see the silo log); import the file again to store it"));
                        break;
                }
            }

            pending = unavailable;
            if (pending.Count > 0)
            {
                await Task.Delay(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    private void Count(ref int status, LeadImportRow row)
    {
        Interlocked.Increment(ref status);
        if (row.Outcome is not null)
        {
            Interlocked.Increment(ref _outcomes);
        }

        Interlocked.Increment(ref _processed);
    }

    private void Reject(ImportRowProblem problem)
    {
        Interlocked.Increment(ref _rejected);
        List(problem);
    }

    private void Fail(ImportRowProblem problem)
    {
        Interlocked.Increment(ref _failed);
        List(problem);
    }

    /// <summary>Keeps the problems of the lowest row numbers (chunks finish in any order), at most a few times what is listed.</summary>
    private void List(ImportRowProblem problem)
    {
        lock (_problemsLock)
        {
            _problems.Add(problem);
            if (_problems.Count > 4 * ImportJobStatus.MaxListedProblems)
            {
                _problems.Sort((a, b) => a.Row.CompareTo(b.Row));
                _problems.RemoveRange(ImportJobStatus.MaxListedProblems, _problems.Count - ImportJobStatus.MaxListedProblems);
            }
        }

        Interlocked.Increment(ref _processed);
    }

    private IReadOnlyList<ImportRowProblem> ListedProblems()
    {
        lock (_problemsLock)
        {
            return [.. _problems.OrderBy(p => p.Row).Take(ImportJobStatus.MaxListedProblems)];
        }
    }
}
