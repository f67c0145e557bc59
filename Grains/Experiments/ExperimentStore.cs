using System.Collections.Concurrent;
using System.Text.Json;
using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Experiments;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Experiments;

/// <summary>Experiments and their exposures: which lead saw which variant, and how it ended.</summary>
public interface IExperimentStore
{
    /// <summary>False when an experiment with that id already exists (nothing is changed then).</summary>
    Task<bool> CreateAsync(string workspace, ExperimentRecord experiment);

    Task<ExperimentRecord?> GetAsync(string workspace, string experimentId);

    Task<IReadOnlyList<ExperimentRecord>> ListAsync(string workspace);

    Task UpdateAsync(string workspace, ExperimentRecord experiment);

    /// <summary>Records that the lead saw its variant; a lead counts once per experiment however often it is scored.</summary>
    Task RecordExposureAsync(string workspace, string experimentId, string leadId, string variant, DateTimeOffset at);

    /// <summary>Attributes the lead's outcome to every experiment that exposed it.</summary>
    Task RecordOutcomeAsync(string workspace, string leadId, bool converted, double? dealValue);

    Task<IReadOnlyDictionary<string, VariantTally>> TallyAsync(string workspace, string experimentId);

    /// <summary>Erasure: the lead's exposures go (the experiments' tallies shrink accordingly).</summary>
    Task DeleteLeadAsync(string workspace, string leadId);
}

/// <summary>Memory mode: experiments live as long as the silo.</summary>
public sealed class InMemoryExperimentStore : IExperimentStore
{
    private readonly ConcurrentDictionary<(string Workspace, string Id), ExperimentRecord> _experiments = new();
    private readonly ConcurrentDictionary<(string Workspace, string Experiment, string Lead), Exposure> _exposures = new();

    public Task<bool> CreateAsync(string workspace, ExperimentRecord experiment) =>
        Task.FromResult(_experiments.TryAdd((workspace, experiment.Definition.ExperimentId), experiment));

    public Task<ExperimentRecord?> GetAsync(string workspace, string experimentId) =>
        Task.FromResult(_experiments.GetValueOrDefault((workspace, experimentId)));

    public Task<IReadOnlyList<ExperimentRecord>> ListAsync(string workspace) =>
        Task.FromResult<IReadOnlyList<ExperimentRecord>>([.. _experiments.Where(e => e.Key.Workspace == workspace).Select(e => e.Value).OrderBy(e => e.CreatedAt)]);

    public Task UpdateAsync(string workspace, ExperimentRecord experiment)
    {
        _experiments[(workspace, experiment.Definition.ExperimentId)] = experiment;
        return Task.CompletedTask;
    }

    public Task RecordExposureAsync(string workspace, string experimentId, string leadId, string variant, DateTimeOffset at)
    {
        _exposures.TryAdd((workspace, experimentId, leadId), new Exposure(variant, null, null));
        return Task.CompletedTask;
    }

    public Task RecordOutcomeAsync(string workspace, string leadId, bool converted, double? dealValue)
    {
        foreach (var key in _exposures.Keys.Where(k => k.Workspace == workspace && k.Lead == leadId))
        {
            _exposures.AddOrUpdate(key, _ => new Exposure("", converted, dealValue), (_, e) => e with { Converted = converted, DealValue = dealValue });
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, VariantTally>> TallyAsync(string workspace, string experimentId) =>
        Task.FromResult<IReadOnlyDictionary<string, VariantTally>>(_exposures
            .Where(e => e.Key.Workspace == workspace && e.Key.Experiment == experimentId)
            .GroupBy(e => e.Value.Variant)
            .ToDictionary(g => g.Key, g =>
            {
                var deals = g.Where(e => e.Value.Converted == true && e.Value.DealValue is not null).Select(e => e.Value.DealValue!.Value).ToList();
                return new VariantTally(g.Key, g.Count(), g.Count(e => e.Value.Converted == true), deals.Count, deals.Sum(), deals.Sum(d => d * d));
            }));

    public Task DeleteLeadAsync(string workspace, string leadId)
    {
        foreach (var key in _exposures.Keys.Where(k => k.Workspace == workspace && k.Lead == leadId))
        {
            _exposures.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    private sealed record Exposure(string Variant, bool? Converted, double? DealValue);
}

/// <summary>
/// PostgreSQL mode: tables experiments and experiment_exposures (migration 0010). Exposures are
/// group-committed: every lead scored in an experiment for the first time in its activation writes one, and
/// a batch of 10,000 must not mean 10,000 transactions. The primary key (workspace, experiment, lead) makes
/// a repeated exposure a no-op, so a lead counts once however many silos or activations score it.
/// </summary>
public sealed class PostgresExperimentStore : IExperimentStore, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitQueue<ExposureRow, bool> _exposures;

    public PostgresExperimentStore(NpgsqlDataSource database, ILogger<PostgresExperimentStore> logger)
    {
        _database = database;
        _exposures = new GroupCommitQueue<ExposureRow, bool>(WriteExposures, 1000, logger, "experiment exposures");
    }

    public async Task<bool> CreateAsync(string workspace, ExperimentRecord experiment)
    {
        await using var command = _database.CreateCommand("""
            INSERT INTO experiments (workspace, experiment_id, record, created_at) VALUES (@w, @e, @r, @at)
            ON CONFLICT (workspace, experiment_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("e", experiment.Definition.ExperimentId);
        command.Parameters.AddWithValue("r", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(experiment, Json));
        command.Parameters.AddWithValue("at", experiment.CreatedAt);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<ExperimentRecord?> GetAsync(string workspace, string experimentId)
    {
        await using var command = _database.CreateCommand("SELECT record::text FROM experiments WHERE workspace = @w AND experiment_id = @e");
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("e", experimentId);
        return await command.ExecuteScalarAsync() is string json ? JsonSerializer.Deserialize<ExperimentRecord>(json, Json) : null;
    }

    public async Task<IReadOnlyList<ExperimentRecord>> ListAsync(string workspace)
    {
        await using var command = _database.CreateCommand("SELECT record::text FROM experiments WHERE workspace = @w ORDER BY created_at");
        command.Parameters.AddWithValue("w", workspace);
        await using var reader = await command.ExecuteReaderAsync();
        var experiments = new List<ExperimentRecord>();
        while (await reader.ReadAsync())
        {
            experiments.Add(JsonSerializer.Deserialize<ExperimentRecord>(reader.GetString(0), Json)!);
        }

        return experiments;
    }

    public async Task UpdateAsync(string workspace, ExperimentRecord experiment)
    {
        await using var command = _database.CreateCommand("UPDATE experiments SET record = @r WHERE workspace = @w AND experiment_id = @e");
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("e", experiment.Definition.ExperimentId);
        command.Parameters.AddWithValue("r", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(experiment, Json));
        await command.ExecuteNonQueryAsync();
    }

    public Task RecordExposureAsync(string workspace, string experimentId, string leadId, string variant, DateTimeOffset at) =>
        _exposures.EnqueueAsync(new ExposureRow(workspace, experimentId, leadId, variant, at));

    public async Task RecordOutcomeAsync(string workspace, string leadId, bool converted, double? dealValue)
    {
        await using var command = _database.CreateCommand("""
            UPDATE experiment_exposures SET converted = @c, deal_value = @v WHERE workspace = @w AND lead_id = @l
            """);
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("l", leadId);
        command.Parameters.AddWithValue("c", converted);
        command.Parameters.AddWithValue("v", (object?)dealValue ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyDictionary<string, VariantTally>> TallyAsync(string workspace, string experimentId)
    {
        await using var command = _database.CreateCommand("""
            SELECT variant, count(*), count(*) FILTER (WHERE converted),
                   count(deal_value) FILTER (WHERE converted),
                   coalesce(sum(deal_value) FILTER (WHERE converted), 0),
                   coalesce(sum(deal_value * deal_value) FILTER (WHERE converted), 0)
              FROM experiment_exposures WHERE workspace = @w AND experiment_id = @e GROUP BY variant
            """);
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("e", experimentId);
        await using var reader = await command.ExecuteReaderAsync();
        var tallies = new Dictionary<string, VariantTally>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var variant = reader.GetString(0);
            tallies[variant] = new VariantTally(variant, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetDouble(5));
        }

        return tallies;
    }

    public Task DeleteLeadAsync(string workspace, string leadId) => LeadRows.DeleteAsync(_database, "experiment_exposures", workspace, leadId);

    public ValueTask DisposeAsync() => _exposures.DisposeAsync();

    private async Task<bool[]> WriteExposures(IReadOnlyList<ExposureRow> batch)
    {
        await using var command = _database.CreateCommand("""
            INSERT INTO experiment_exposures (workspace, experiment_id, lead_id, variant, exposed_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
            ON CONFLICT (workspace, experiment_id, lead_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Workspace).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.ExperimentId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.LeadId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Variant).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.At).ToArray() });
        await command.ExecuteNonQueryAsync();
        return new bool[batch.Count];
    }

    private sealed record ExposureRow(string Workspace, string ExperimentId, string LeadId, string Variant, DateTimeOffset At);
}
