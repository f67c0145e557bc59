using System.Text.Json;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Training;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Models;

/// <summary>
/// Model versions per workspace with one champion. Promotions are kept in order, so a rollback returns to the
/// champion before the current one.
/// </summary>
public interface IModelRegistry
{
    Task<ModelVersion> RegisterAsync(string workspace, TrainingResult result, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ModelVersion>> ListAsync(string workspace, CancellationToken cancellationToken = default);

    Task<(ModelVersion Version, ModelArtifact Artifact)?> GetAsync(string workspace, string version, CancellationToken cancellationToken = default);

    Task<string?> ChampionAsync(string workspace, CancellationToken cancellationToken = default);

    /// <returns>False when no such version exists.</returns>
    Task<bool> PromoteAsync(string workspace, string version, string reason, CancellationToken cancellationToken = default);

    /// <returns>The champion after the rollback, or null when there is no earlier champion to return to.</returns>
    Task<string?> RollbackAsync(string workspace, CancellationToken cancellationToken = default);
}

/// <summary>The registry of memory mode: lives as long as the process.</summary>
/// <param name="outbox">Where promotions and rollbacks announce themselves; none in tests of the registry alone.</param>
public sealed class InMemoryModelRegistry(IEventOutbox? outbox = null) : IModelRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(ModelVersion Version, byte[] Artifact)>> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _promotions = new(StringComparer.Ordinal);

    public Task<ModelVersion> RegisterAsync(string workspace, TrainingResult result, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var versions = _versions.TryGetValue(workspace, out var list) ? list : _versions[workspace] = [];
            var version = new ModelVersion(workspace, $"v{versions.Count + 1}", DateTimeOffset.UtcNow, result.Report.DataFingerprint, result.Report, false);
            versions.Add((version, result.Artifact.Serialize()));
            return Task.FromResult(version);
        }
    }

    public Task<IReadOnlyList<ModelVersion>> ListAsync(string workspace, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var champion = Champion(workspace);
            IReadOnlyList<ModelVersion> list = [.. _versions.GetValueOrDefault(workspace, []).Select(v => v.Version with { IsChampion = v.Version.Version == champion })];
            return Task.FromResult(list);
        }
    }

    public Task<(ModelVersion Version, ModelArtifact Artifact)?> GetAsync(string workspace, string version, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var found = _versions.GetValueOrDefault(workspace, []).FirstOrDefault(v => v.Version.Version == version);
            return Task.FromResult<(ModelVersion, ModelArtifact)?>(found.Artifact is null
                ? null
                : (found.Version with { IsChampion = Champion(workspace) == version }, ModelArtifact.Deserialize(found.Artifact)));
        }
    }

    public Task<string?> ChampionAsync(string workspace, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Champion(workspace));
        }
    }

    public async Task<bool> PromoteAsync(string workspace, string version, string reason, CancellationToken cancellationToken = default)
    {
        string? previous;
        lock (_lock)
        {
            if (!_versions.GetValueOrDefault(workspace, []).Any(v => v.Version.Version == version))
            {
                return false;
            }

            previous = Champion(workspace);
            (_promotions.TryGetValue(workspace, out var list) ? list : _promotions[workspace] = []).Add(version);
        }

        await Announce(workspace, EventTypes.ModelPromoted, writer =>
        {
            writer.WriteString("version", version);
            writer.WriteString("previous", previous);
            writer.WriteString("reason", reason);
        });
        return true;
    }

    public async Task<string?> RollbackAsync(string workspace, CancellationToken cancellationToken = default)
    {
        string rolledBack, champion;
        lock (_lock)
        {
            var history = _promotions.GetValueOrDefault(workspace, []);
            if (history.Count < 2)
            {
                return null;
            }

            rolledBack = history[^1];
            history.RemoveAt(history.Count - 1);
            champion = history[^1];
        }

        await Announce(workspace, EventTypes.ModelRolledBack, writer =>
        {
            writer.WriteString("version", champion);
            writer.WriteString("rolled_back", rolledBack);
        });
        return champion;
    }

    /// <summary>
    /// The event of a promotion or rollback. Memory mode keeps nothing past the process, so there is no transaction
    /// to share; a silo still starting (its first model) cannot take it, and that event is dropped.
    /// </summary>
    private async Task Announce(string workspace, string type, Action<System.Text.Json.Utf8JsonWriter> data)
    {
        if (outbox is null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        try
        {
            await outbox.AppendAsync([EventData.Event(type, workspace, now, null, data)]);
        }
        catch (Exception e) when (e is InvalidOperationException or OrleansException)
        {
            // Not yet part of a running cluster.
        }
    }

    private string? Champion(string workspace) => _promotions.GetValueOrDefault(workspace) is { Count: > 0 } history ? history[^1] : null;
}

/// <summary>The registry of PostgreSQL mode (tables model_versions and model_promotions).</summary>
public sealed class PostgresModelRegistry(NpgsqlDataSource database) : IModelRegistry
{
    public async Task<ModelVersion> RegisterAsync(string workspace, TrainingResult result, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Version numbers are per workspace: serialize the registrations of one workspace.
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('model_versions/' || @w))", connection, transaction))
        {
            serialize.Parameters.AddWithValue("w", workspace);
            await serialize.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO model_versions (workspace, number, version, data_fingerprint, report, artifact)
            SELECT @w, n, 'v' || n, @f, @r, @a
              FROM (SELECT coalesce(max(number), 0) + 1 AS n FROM model_versions WHERE workspace = @w) next
            RETURNING version, created_at
            """, connection, transaction);
        insert.Parameters.AddWithValue("w", workspace);
        insert.Parameters.AddWithValue("f", result.Report.DataFingerprint);
        insert.Parameters.AddWithValue("r", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(result.Report, ReportJson.Options));
        insert.Parameters.AddWithValue("a", result.Artifact.Serialize());
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var version = new ModelVersion(workspace, reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), result.Report.DataFingerprint, result.Report, false);
        await reader.CloseAsync();
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task<IReadOnlyList<ModelVersion>> ListAsync(string workspace, CancellationToken cancellationToken = default)
    {
        var champion = await ChampionAsync(workspace, cancellationToken);
        await using var command = database.CreateCommand(
            "SELECT version, created_at, data_fingerprint, report::text FROM model_versions WHERE workspace = @w ORDER BY number");
        command.Parameters.AddWithValue("w", workspace);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<ModelVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(Read(workspace, reader, champion));
        }

        return versions;
    }

    public async Task<(ModelVersion Version, ModelArtifact Artifact)?> GetAsync(string workspace, string version, CancellationToken cancellationToken = default)
    {
        var champion = await ChampionAsync(workspace, cancellationToken);
        await using var command = database.CreateCommand(
            "SELECT version, created_at, data_fingerprint, report::text, artifact FROM model_versions WHERE workspace = @w AND version = @v");
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("v", version);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (Read(workspace, reader, champion), ModelArtifact.Deserialize(reader.GetFieldValue<byte[]>(4)));
    }

    public async Task<string?> ChampionAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT version FROM model_promotions WHERE workspace = @w AND rolled_back_at IS NULL ORDER BY id DESC LIMIT 1");
        command.Parameters.AddWithValue("w", workspace);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <remarks>The model.promoted event goes into the outbox in the same statement.</remarks>
    public async Task<bool> PromoteAsync(string workspace, string version, string reason, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            WITH promoted AS (
                INSERT INTO model_promotions (workspace, version, previous, reason)
                SELECT @w, @v, (SELECT version FROM model_promotions WHERE workspace = @w AND rolled_back_at IS NULL ORDER BY id DESC LIMIT 1), @r
                 WHERE EXISTS (SELECT 1 FROM model_versions WHERE workspace = @w AND version = @v)
                RETURNING version, previous, reason, promoted_at),
            event AS (
                INSERT INTO event_outbox (event_id, type, workspace, occurred_at, data)
                SELECT @e, 'model.promoted', @w, promoted_at, json_build_object('version', version, 'previous', previous, 'reason', reason)
                  FROM promoted)
            SELECT count(*) FROM promoted
            """);
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("v", version);
        command.Parameters.AddWithValue("r", reason);
        command.Parameters.AddWithValue("e", EventIds.New(DateTimeOffset.UtcNow));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public async Task<string?> RollbackAsync(string workspace, CancellationToken cancellationToken = default)
    {
        // The champion's promotion is stamped as rolled back (the history stays), which makes the promotion
        // before it current again; with no earlier promotion nothing changes.
        await using var command = database.CreateCommand("""
            WITH active AS (
                SELECT id, version FROM model_promotions
                 WHERE workspace = @w AND rolled_back_at IS NULL
                 ORDER BY id DESC LIMIT 2
            ), stamped AS (
                UPDATE model_promotions SET rolled_back_at = now()
                 WHERE id = (SELECT max(id) FROM active) AND (SELECT count(*) FROM active) = 2
                RETURNING id, version
            ), event AS (
                INSERT INTO event_outbox (event_id, type, workspace, occurred_at, data)
                SELECT @e, 'model.rolled_back', @w, now(),
                       json_build_object('version', (SELECT version FROM active WHERE id = (SELECT min(id) FROM active)), 'rolled_back', stamped.version)
                  FROM stamped
            )
            SELECT version FROM active WHERE id = (SELECT min(id) FROM active) AND EXISTS (SELECT 1 FROM stamped)
            """);
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("e", EventIds.New(DateTimeOffset.UtcNow));
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    private static ModelVersion Read(string workspace, NpgsqlDataReader reader, string? champion)
    {
        var version = reader.GetString(0);
        var report = JsonSerializer.Deserialize<TrainingReport>(reader.GetString(3), ReportJson.Options)!;
        return new ModelVersion(workspace, version, reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), report, version == champion);
    }
}
