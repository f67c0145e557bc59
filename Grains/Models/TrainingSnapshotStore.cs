using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Training;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Models;

public interface ITrainingSnapshotStore
{
    /// <summary>Stores (or replaces) the lead's snapshot; returns once it is durable.</summary>
    Task SaveAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TrainingSnapshot>> ListAsync(string workspace, CancellationToken cancellationToken = default);

    /// <summary>Removes the lead's snapshot, if any (erasure, or profiling consent withdrawn); returns once that is durable.</summary>
    Task DeleteAsync(string workspace, string leadId);
}

/// <summary>Memory mode: snapshots live as long as the silo.</summary>
public sealed class InMemoryTrainingSnapshotStore : ITrainingSnapshotStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Workspace, string LeadId), TrainingSnapshot> _snapshots = new();

    public Task SaveAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        _snapshots[(snapshot.Workspace, snapshot.LeadId)] = snapshot;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TrainingSnapshot>> ListAsync(string workspace, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TrainingSnapshot>>([.. _snapshots.Values.Where(s => s.Workspace == workspace).OrderBy(s => s.RecordedAt)]);

    public Task DeleteAsync(string workspace, string leadId)
    {
        _snapshots.TryRemove((workspace, leadId), out _);
        return Task.CompletedTask;
    }
}

/// <summary>PostgreSQL mode: table training_snapshots.</summary>
public sealed class PostgresTrainingSnapshotStore(NpgsqlDataSource database) : ITrainingSnapshotStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SaveAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO training_snapshots (workspace, lead_id, recorded_at, converted, deal_value, closed_at, attributes, features)
            VALUES (@w, @l, @r, @c, @v, @closed, @a, @f)
            ON CONFLICT (workspace, lead_id) DO UPDATE
               SET recorded_at = excluded.recorded_at, converted = excluded.converted, deal_value = excluded.deal_value,
                   closed_at = excluded.closed_at, attributes = excluded.attributes, features = excluded.features
            """);
        command.Parameters.AddWithValue("w", snapshot.Workspace);
        command.Parameters.AddWithValue("l", snapshot.LeadId);
        command.Parameters.AddWithValue("r", snapshot.RecordedAt);
        command.Parameters.AddWithValue("c", snapshot.Converted);
        command.Parameters.AddWithValue("v", (object?)snapshot.DealValue ?? DBNull.Value);
        command.Parameters.AddWithValue("closed", (object?)snapshot.ClosedAt ?? DBNull.Value);
        command.Parameters.AddWithValue("a", NpgsqlDbType.Json, AttributesJson(snapshot));
        command.Parameters.AddWithValue("f", NpgsqlDbType.Json, FeaturesJson(snapshot));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The attributes column's JSON (the lead writes use it too).</summary>
    public static string AttributesJson(TrainingSnapshot snapshot) => JsonSerializer.Serialize(snapshot.Attributes, Json);

    /// <summary>The features column's JSON.</summary>
    public static string FeaturesJson(TrainingSnapshot snapshot) => JsonSerializer.Serialize(snapshot.Features, Json);

    public async Task<IReadOnlyList<TrainingSnapshot>> ListAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT lead_id, recorded_at, converted, deal_value, closed_at, attributes::text, features::text
              FROM training_snapshots WHERE workspace = @w ORDER BY recorded_at
            """);
        command.Parameters.AddWithValue("w", workspace);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var snapshots = new List<TrainingSnapshot>();
        while (await reader.ReadAsync(cancellationToken))
        {
            snapshots.Add(new TrainingSnapshot(
                workspace,
                reader.GetString(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetBoolean(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5), Json)!,
                JsonSerializer.Deserialize<List<FeatureValue>>(reader.GetString(6), Json)!));
        }

        return snapshots;
    }

    public Task DeleteAsync(string workspace, string leadId) => LeadRows.DeleteAsync(database, "training_snapshots", workspace, leadId);
}
