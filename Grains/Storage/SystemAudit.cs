using Npgsql;

namespace LeadScoring.Grains.Storage;

/// <summary>
/// Audit entries for what the system does by itself (automatic retraining and the promotions it makes), in
/// the same append-only audit_log the API writes for callers: subject and role "system", status 0 (no HTTP
/// call), the request id naming the job.
/// </summary>
public interface ISystemAudit
{
    Task RecordAsync(string workspace, string action, string? target, string outcome, string requestId);
}

/// <summary>Memory mode: the audit trail lives in the API process, out of the silo's reach; nothing is recorded.</summary>
public sealed class NoSystemAudit : ISystemAudit
{
    public Task RecordAsync(string workspace, string action, string? target, string outcome, string requestId) => Task.CompletedTask;
}

/// <summary>PostgreSQL mode: one row per entry in audit_log (migration 0009).</summary>
public sealed class PostgresSystemAudit(NpgsqlDataSource database, TimeProvider clock) : ISystemAudit
{
    public const string System = "system";

    public async Task RecordAsync(string workspace, string action, string? target, string outcome, string requestId)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO audit_log (at, workspace, subject, role, action, target, outcome, status, request_id, client_address)
            VALUES (@at, @w, @system, @system, @action, @target, @outcome, 0, @request, NULL)
            """);
        command.Parameters.AddWithValue("at", clock.GetUtcNow());
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("system", System);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.AddWithValue("target", (object?)target ?? DBNull.Value);
        command.Parameters.AddWithValue("outcome", outcome);
        command.Parameters.AddWithValue("request", requestId);
        await command.ExecuteNonQueryAsync();
    }
}
