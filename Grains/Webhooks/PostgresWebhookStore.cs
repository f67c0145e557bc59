using LeadScoring.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace LeadScoring.Grains.Webhooks;

/// <summary>PostgreSQL mode: tables webhooks, webhook_deliveries and webhook_retries (migration 0020).</summary>
public sealed class PostgresWebhookStore(NpgsqlDataSource database) : IWebhookStore
{
    private const string Columns = """
        workspace, webhook_id, url, event_types, filter_grades, filter_min_score_change, description, enabled, disabled_reason,
        secret, previous_secret, previous_secret_expires_at, failing_since, delivered_through, created_at, updated_at
        """;

    public async Task<IReadOnlyList<StoredWebhook>> ListAsync(string workspace)
    {
        await using var command = database.CreateCommand($"SELECT {Columns} FROM webhooks WHERE workspace = $1 ORDER BY created_at, webhook_id");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        return await ReadAll(command);
    }

    public async Task<StoredWebhook?> GetAsync(string workspace, string webhookId)
    {
        await using var command = database.CreateCommand($"SELECT {Columns} FROM webhooks WHERE workspace = $1 AND webhook_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        return (await ReadAll(command)).SingleOrDefault();
    }

    public async Task SaveAsync(StoredWebhook stored)
    {
        var webhook = stored.Webhook;
        await using var command = database.CreateCommand($"""
            INSERT INTO webhooks ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            ON CONFLICT (workspace, webhook_id) DO UPDATE
               SET url = excluded.url, event_types = excluded.event_types, filter_grades = excluded.filter_grades,
                   filter_min_score_change = excluded.filter_min_score_change, description = excluded.description,
                   enabled = excluded.enabled, disabled_reason = excluded.disabled_reason, secret = excluded.secret,
                   previous_secret = excluded.previous_secret, previous_secret_expires_at = excluded.previous_secret_expires_at,
                   updated_at = excluded.updated_at
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { Value = stored.Workspace });
        p.Add(new NpgsqlParameter { Value = webhook.Id });
        p.Add(new NpgsqlParameter { Value = webhook.Url });
        p.Add(new NpgsqlParameter { Value = webhook.EventTypes.ToArray() });
        p.Add(new NpgsqlParameter { Value = (object?)webhook.Filter?.Grades?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)webhook.Filter?.MinScoreChange ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        p.Add(new NpgsqlParameter { Value = (object?)webhook.Description ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = webhook.Enabled });
        p.Add(new NpgsqlParameter { Value = (object?)webhook.DisabledReason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = stored.SealedSecret });
        p.Add(new NpgsqlParameter { Value = (object?)stored.SealedPreviousSecret ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)webhook.PreviousSecretExpiresAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = (object?)stored.FailingSince?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = stored.DeliveredThrough });
        p.Add(new NpgsqlParameter { Value = webhook.CreatedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = webhook.UpdatedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public async Task DeleteAsync(string workspace, string webhookId)
    {
        await using var batch = database.CreateBatch();
        foreach (var table in new[] { "webhooks", "webhook_deliveries", "webhook_retries" })
        {
            var delete = new NpgsqlBatchCommand($"DELETE FROM {table} WHERE workspace = $1 AND webhook_id = $2");
            delete.Parameters.Add(new NpgsqlParameter { Value = workspace });
            delete.Parameters.Add(new NpgsqlParameter { Value = webhookId });
            batch.BatchCommands.Add(delete);
        }

        await batch.ExecuteNonQueryAsync();
    }

    public async Task SaveProgressAsync(string workspace, string webhookId, long deliveredThrough, DateTimeOffset? failingSince)
    {
        await using var command = database.CreateCommand(
            "UPDATE webhooks SET delivered_through = $3, failing_since = $4 WHERE workspace = $1 AND webhook_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveredThrough });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)failingSince?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public async Task RecordAttemptsAsync(string workspace, string webhookId, IReadOnlyList<WebhookDelivery> attempts)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO webhook_deliveries (workspace, webhook_id, event_id, event_type, attempt, attempted_at, status, latency_ms, error, next_attempt_at)
            SELECT $1, $2, * FROM unnest($3, $4, $5, $6, $7, $8, $9, $10)
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { Value = workspace });
        p.Add(new NpgsqlParameter { Value = webhookId });
        p.Add(new NpgsqlParameter { Value = attempts.Select(a => a.EventId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = attempts.Select(a => a.EventType).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = attempts.Select(a => a.Attempt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter { Value = attempts.Select(a => a.AttemptedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = attempts.Select(a => a.Status).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter { Value = attempts.Select(a => a.LatencyMs).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        p.Add(new NpgsqlParameter { Value = attempts.Select(a => a.Error).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = attempts.Select(a => a.NextAttemptAt?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(string workspace, string webhookId, int limit)
    {
        await using var command = database.CreateCommand("""
            SELECT event_id, event_type, attempt, attempted_at, status, latency_ms, error, next_attempt_at FROM webhook_deliveries
             WHERE workspace = $1 AND webhook_id = $2 ORDER BY id DESC LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var deliveries = new List<WebhookDelivery>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            deliveries.Add(new WebhookDelivery(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return deliveries;
    }

    public async Task SetRetryAsync(string workspace, string webhookId, PendingRetry retry)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO webhook_retries (workspace, webhook_id, event_id, attempt, next_attempt_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (workspace, webhook_id, event_id) DO UPDATE SET attempt = excluded.attempt, next_attempt_at = excluded.next_attempt_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = retry.EventId });
        command.Parameters.Add(new NpgsqlParameter { Value = retry.Attempt });
        command.Parameters.Add(new NpgsqlParameter { Value = retry.NextAttemptAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public async Task ClearRetryAsync(string workspace, string webhookId, string eventId)
    {
        await using var command = database.CreateCommand("DELETE FROM webhook_retries WHERE workspace = $1 AND webhook_id = $2 AND event_id = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<PendingRetry>> RetriesAsync(string workspace, string webhookId)
    {
        await using var command = database.CreateCommand(
            "SELECT event_id, attempt, next_attempt_at FROM webhook_retries WHERE workspace = $1 AND webhook_id = $2 ORDER BY next_attempt_at");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        var retries = new List<PendingRetry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            retries.Add(new PendingRetry(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return retries;
    }

    /// <remarks>Oldest first, by the primary key in chunks (attempts are numbered as made): no index on their time to keep up.</remarks>
    public async Task DeleteAttemptsBeforeAsync(DateTimeOffset cutoff)
    {
        const int Chunk = 10_000;
        int deleted;
        do
        {
            await using var command = database.CreateCommand(
                "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries ORDER BY id LIMIT $2) AND attempted_at < $1");
            command.Parameters.Add(new NpgsqlParameter { Value = cutoff.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = Chunk });
            deleted = await command.ExecuteNonQueryAsync();
        }
        while (deleted == Chunk);
    }

    private static async Task<List<StoredWebhook>> ReadAll(NpgsqlCommand command)
    {
        var webhooks = new List<StoredWebhook>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var grades = reader.IsDBNull(4) ? null : reader.GetFieldValue<string[]>(4);
            double? minChange = reader.IsDBNull(5) ? null : reader.GetDouble(5);
            var webhook = new Webhook(
                reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
                grades is null && minChange is null ? null : new WebhookFilter(grades, minChange),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetBoolean(7), reader.GetFieldValue<DateTimeOffset>(14),
                reader.GetFieldValue<DateTimeOffset>(15), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));
            webhooks.Add(new StoredWebhook(
                reader.GetString(0), webhook, reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12), reader.GetInt64(13)));
        }

        return webhooks;
    }
}
