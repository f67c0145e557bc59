using System.Collections.Concurrent;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Drift;

/// <summary>Drift alerts with their evidence.</summary>
public interface IDriftAlertStore
{
    Task AddAsync(string workspace, DriftAlert alert, DriftReport evidence);

    /// <summary>How many alerts the workspace has had, and the most recent ones, newest first.</summary>
    Task<(int Total, IReadOnlyList<DriftAlert> Recent)> RecentAsync(string workspace, int count);
}

/// <summary>Memory mode: alerts live as long as the silo.</summary>
public sealed class InMemoryDriftAlertStore : IDriftAlertStore
{
    private readonly ConcurrentDictionary<string, List<DriftAlert>> _alerts = new(StringComparer.Ordinal);

    public Task AddAsync(string workspace, DriftAlert alert, DriftReport evidence)
    {
        var alerts = _alerts.GetOrAdd(workspace, _ => []);
        lock (alerts)
        {
            alerts.Add(alert);
        }

        return Task.CompletedTask;
    }

    public Task<(int Total, IReadOnlyList<DriftAlert> Recent)> RecentAsync(string workspace, int count)
    {
        var alerts = _alerts.GetOrAdd(workspace, _ => []);
        lock (alerts)
        {
            return Task.FromResult<(int, IReadOnlyList<DriftAlert>)>((alerts.Count, [.. Enumerable.Reverse(alerts).Take(count)]));
        }
    }
}

/// <summary>PostgreSQL mode: table drift_alerts (migration 0011).</summary>
public sealed class PostgresDriftAlertStore(NpgsqlDataSource database) : IDriftAlertStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(string workspace, DriftAlert alert, DriftReport evidence)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO drift_alerts (workspace, at, level, model_version, reasons, evidence) VALUES (@w, @at, @level, @version, @reasons, @evidence)
            """);
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("at", alert.At);
        command.Parameters.AddWithValue("level", alert.Level.ToString());
        command.Parameters.AddWithValue("version", alert.ModelVersion);
        command.Parameters.AddWithValue("reasons", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(alert.Reasons, Json));
        command.Parameters.AddWithValue("evidence", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(evidence, Json));
        await command.ExecuteNonQueryAsync();
    }

    public async Task<(int Total, IReadOnlyList<DriftAlert> Recent)> RecentAsync(string workspace, int count)
    {
        await using var command = database.CreateCommand("""
            SELECT at, level, model_version, reasons::text, count(*) OVER () FROM drift_alerts
             WHERE workspace = @w ORDER BY id DESC LIMIT @n
            """);
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("n", count);
        await using var reader = await command.ExecuteReaderAsync();
        var alerts = new List<DriftAlert>();
        var total = 0;
        while (await reader.ReadAsync())
        {
            alerts.Add(new DriftAlert(
                reader.GetFieldValue<DateTimeOffset>(0), Enum.Parse<DriftLevel>(reader.GetString(1)), reader.GetString(2),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(3), Json)!));
            total = (int)reader.GetInt64(4);
        }

        return (total, alerts);
    }
}
