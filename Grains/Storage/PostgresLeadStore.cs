using System.Buffers.Binary;
using System.Globalization;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Modeling.Features;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace LeadScoring.Grains.Storage;

/// <summary>
/// The lead grains' store in PostgreSQL: lead_state, with lead_activity and lead_activity_ids beside it. Reads of
/// activating leads go through <see cref="LeadReads"/>, writes through <see cref="LeadWrites"/>, the silo's group commit, so the writes of many leads share one statement
/// and one commit, and each grain is answered once its own row is committed (docs/performance.md,
/// "Persistence"). A write must present the version it read; a stale one fails for that grain alone.
/// </summary>
/// <remarks>
/// The state is serialized straight into one array of the payload's size. A lead's recent activities are not in
/// it: each is a row inserted by the write that follows the lead taking it, and a read of the state only counts
/// them; the lead reads them (<see cref="ReadRecentActivitiesAsync"/>) when a read of its own needs them.
/// </remarks>
public sealed class PostgresLeadStore(NpgsqlDataSource database, Serializer serializer, LeadReads reads, LeadWrites writes) : ILeadStore
{
    public async Task ReadAsync(GrainId grainId, IGrainState<LeadState> grainState)
    {
        var (workspace, leadId) = KeyOf(grainId);
        if (await reads.ReadAsync(workspace, leadId) is { } stored)
        {
            var state = serializer.Deserialize<LeadState>(stored.Payload) ?? new LeadState();
            state.ActivityRows = stored.ActivityRows;
            grainState.State = state;
            grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = new LeadState();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteAsync(GrainId grainId, IGrainState<LeadState> grainState, LeadWriteExtras extras)
    {
        var (workspace, leadId) = KeyOf(grainId);
        var expected = grainState.ETag is null ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var payload = serializer.SerializeToArray(grainState.State);
        var activities = extras.Activities.Count == 0
            ? []
            : extras.Activities.Select(a => new ActivityRow(a.Received, a.Activity.OccurredAt, serializer.SerializeToArray(a.Activity))).ToList();
        var version = await writes.WriteStateAsync(
            workspace, leadId, payload, expected, extras.HistoryEntry, extras.TrimHistory, activities, extras.TrimActivities, extras.IdChunks, extras.ForgetIdChunksBelow,
            extras.Snapshot, extras.Events);
        if (version == LeadWrites.Conflict)
        {
            throw new InconsistentStateException($"Lead {workspace}/{leadId} was written by someone else since it was read.", grainState.ETag, (string?)null);
        }

        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task<IReadOnlyList<NumberedActivity>> ReadRecentActivitiesAsync(GrainId grainId, int limit)
    {
        var (workspace, leadId) = KeyOf(grainId);
        await using var command = database.CreateCommand("""
            SELECT received, payload FROM lead_activity WHERE workspace = $1 AND lead_id = $2
             ORDER BY occurred_at DESC, received LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = leadId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var rows = new List<NumberedActivity>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new NumberedActivity(reader.GetInt64(0), serializer.Deserialize<RecentActivity>(reader.GetFieldValue<byte[]>(1))));
        }

        return rows;
    }

    public async Task<IReadOnlyList<long[]>> ReadActivityIdChunksAsync(GrainId grainId)
    {
        var (workspace, leadId) = KeyOf(grainId);
        await using var command = database.CreateCommand("SELECT hashes FROM lead_activity_ids WHERE workspace = $1 AND lead_id = $2 ORDER BY chunk");
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        command.Parameters.Add(new NpgsqlParameter { Value = leadId });
        var chunks = new List<long[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            chunks.Add(IdChunkBytes.Hashes(reader.GetFieldValue<byte[]>(0)));
        }

        return chunks;
    }

    public async Task ClearAsync(GrainId grainId, IGrainState<LeadState> grainState, WorkspaceEvent erased)
    {
        var (workspace, leadId) = KeyOf(grainId);
        if (grainState.ETag is { } etag)
        {
            await using var connection = await database.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("DELETE FROM lead_state WHERE workspace = $1 AND lead_id = $2 AND version = $3", connection, transaction)
            {
                Parameters = { new() { Value = workspace }, new() { Value = leadId }, new() { Value = int.Parse(etag, CultureInfo.InvariantCulture) } },
            };
            if (await command.ExecuteNonQueryAsync() == 0)
            {
                throw new InconsistentStateException($"Lead {workspace}/{leadId} was written by someone else since it was read.", etag, (string?)null);
            }

            await LeadRows.DeleteAsync(connection, transaction, "lead_activity", workspace, leadId);
            await LeadRows.DeleteAsync(connection, transaction, "lead_activity_ids", workspace, leadId);
            await LeadRows.DeleteAsync(connection, transaction, "lead_index", workspace, leadId);
            await LeadRows.DeleteAsync(connection, transaction, "lead_index_replaced", workspace, leadId);
            // The lead's earlier events go; its lead.erased event, the one row left that names it, tells the receivers.
            await LeadRows.DeleteAsync(connection, transaction, "event_outbox", workspace, leadId);
            await using var outbox = new NpgsqlCommand(PostgresEventOutbox.Insert, connection, transaction);
            PostgresEventOutbox.AddColumns(outbox.Parameters, [erased]);
            await outbox.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        grainState.State = new LeadState();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static (string Workspace, string LeadId) KeyOf(GrainId grainId) => WorkspaceKey.Parse(grainId.Key.ToString()!);
}

/// <summary>A chunk of activity id hashes as lead_activity_ids stores it: 8-byte little-endian integers.</summary>
public static class IdChunkBytes
{
    public static byte[] Of(long[] hashes)
    {
        var bytes = new byte[hashes.Length * sizeof(long)];
        for (var i = 0; i < hashes.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), hashes[i]);
        }

        return bytes;
    }

    public static long[] Hashes(byte[] bytes)
    {
        var hashes = new long[bytes.Length / sizeof(long)];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * sizeof(long)));
        }

        return hashes;
    }
}
