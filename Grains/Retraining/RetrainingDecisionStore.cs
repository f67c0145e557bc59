using System.Collections.Concurrent;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Retraining;

/// <summary>Every retraining decision, with both models' metrics.</summary>
public interface IRetrainingDecisionStore
{
    Task AddAsync(string workspace, RetrainingDecision decision);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<RetrainingDecision>> ListAsync(string workspace, int count);
}

/// <summary>Memory mode: decisions live as long as the silo.</summary>
public sealed class InMemoryRetrainingDecisionStore : IRetrainingDecisionStore
{
    private readonly ConcurrentDictionary<string, ConcurrentStack<RetrainingDecision>> _decisions = new(StringComparer.Ordinal);

    public Task AddAsync(string workspace, RetrainingDecision decision)
    {
        _decisions.GetOrAdd(workspace, _ => new()).Push(decision);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RetrainingDecision>> ListAsync(string workspace, int count) =>
        Task.FromResult<IReadOnlyList<RetrainingDecision>>([.. _decisions.GetOrAdd(workspace, _ => new()).Take(count)]);
}

/// <summary>PostgreSQL mode: table retraining_decisions (migration 0012).</summary>
public sealed class PostgresRetrainingDecisionStore(NpgsqlDataSource database) : IRetrainingDecisionStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(string workspace, RetrainingDecision decision)
    {
        await using var command = database.CreateCommand("INSERT INTO retraining_decisions (workspace, at, decision) VALUES (@w, @at, @d)");
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("at", decision.At);
        command.Parameters.AddWithValue("d", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(decision, Json));
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<RetrainingDecision>> ListAsync(string workspace, int count)
    {
        await using var command = database.CreateCommand("SELECT decision::text FROM retraining_decisions WHERE workspace = @w ORDER BY id DESC LIMIT @n");
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("n", count);
        await using var reader = await command.ExecuteReaderAsync();
        var decisions = new List<RetrainingDecision>();
        while (await reader.ReadAsync())
        {
            decisions.Add(JsonSerializer.Deserialize<RetrainingDecision>(reader.GetString(0), Json)!);
        }

        return decisions;
    }
}
