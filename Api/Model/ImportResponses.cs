using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

public sealed record ImportJobAccepted(string JobId, string StatusUrl);

public sealed record ImportRowProblemResponse(int Row, string? LeadId, string Reason);

/// <param name="RowsPerSecond">Rows answered per second since the job started (until it finished).</param>
/// <param name="EtaSeconds">The rows left at that rate, while the job runs.</param>
public sealed record ImportJobResponse(
    string JobId, string State, string? Delimiter, int Rows, int Processed, int Created, int Updated, int Unchanged,
    int Rejected, int Failed, int Outcomes, double RowsPerSecond, double? EtaSeconds, IReadOnlyList<ImportRowProblemResponse> Problems,
    string? Error, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt)
{
    public static ImportJobResponse From(ImportJobStatus status, DateTimeOffset now)
    {
        var seconds = Math.Max(((status.FinishedAt ?? now) - status.StartedAt).TotalSeconds, 0.001);
        var rate = status.Processed / seconds;
        double? eta = status.State == ImportJobState.Running && rate > 0 ? Math.Round((status.Rows - status.Processed) / rate, 1) : null;
        return new(status.JobId, status.State.ToString().ToLowerInvariant(), status.Delimiter, status.Rows, status.Processed,
            status.Created, status.Updated, status.Unchanged, status.Rejected, status.Failed, status.Outcomes, Math.Round(rate, 1), eta,
            [.. status.Problems.Select(p => new ImportRowProblemResponse(p.Row, p.LeadId, p.Reason))], status.Error, status.StartedAt, status.FinishedAt);
    }
}
