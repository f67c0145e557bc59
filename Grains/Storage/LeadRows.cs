using Npgsql;

namespace LeadScoring.Grains.Storage;

/// <summary>The rows a lead owns in the tables keyed by (workspace, lead_id): erasure deletes them table by table.</summary>
public static class LeadRows
{
    /// <summary>Deletes every row of the lead in <paramref name="table"/> (a constant of the schema, never input); returns once that is durable.</summary>
    public static async Task DeleteAsync(NpgsqlDataSource database, string table, string workspace, string leadId)
    {
        await using var connection = await database.OpenConnectionAsync();
        await DeleteAsync(connection, null, table, workspace, leadId);
    }

    /// <summary>As above, inside the caller's transaction; returns how many rows went.</summary>
    public static async Task<int> DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string table, string workspace, string leadId)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE workspace = $1 AND lead_id = $2", connection, transaction)
        {
            Parameters = { new() { Value = workspace }, new() { Value = leadId } },
        };
        return await command.ExecuteNonQueryAsync();
    }
}
