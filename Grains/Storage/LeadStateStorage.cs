using System.Buffers.Binary;
using System.Globalization;
using LeadScoring.Grains.Features;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace LeadScoring.Grains.Storage;

/// <summary>
/// Grain storage for lead grains in PostgreSQL (table lead_state). Writes go through <see cref="LeadWrites"/>,
/// the silo's group commit for lead rows: the writes of all the silo's leads that arrive while a batch is being
/// committed go together in the next single statement, and each grain is answered once its own row is committed.
/// The ADO.NET provider commits every write on its own (a round trip, a parse and a WAL flush each), which capped
/// persisted activities at about 1,200/s on this project's 2-core benchmark machine, with PostgreSQL using a whole
/// core. Optimistic concurrency is kept: a write must present the version it read, and a stale one fails for that
/// grain alone.
/// </summary>
/// <remarks>
/// The state is written with Orleans' serializer straight into one array of the payload's size (the storage
/// serializer wrapper grows a buffer by doubling and then copies it: about 10 KB of garbage per write). A lead's
/// recent activities are not in that payload: each is a row of lead_activity, inserted by the write that follows
/// the lead taking it, so a change writes the lead's aggregates and one new row instead of its hundred
/// activities again. A read of the state only counts the lead's rows; the lead reads them
/// (<see cref="ReadRecentActivitiesAsync"/>) when a read of its own needs them.
/// </remarks>
public sealed class LeadStateStorage(NpgsqlDataSource database, Serializer serializer, LeadWrites writes) : IGrainStorage, ILeadStateStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (workspace, leadId) = KeyOf(grainId);
        await using var connection = await database.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT payload, version FROM lead_state WHERE workspace = $1 AND lead_id = $2")
                {
                    Parameters = { new() { Value = workspace }, new() { Value = leadId } },
                },
                new NpgsqlBatchCommand("SELECT count(*) FROM lead_activity WHERE workspace = $1 AND lead_id = $2")
                {
                    Parameters = { new() { Value = workspace }, new() { Value = leadId } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.State = serializer.Deserialize<T>(reader.GetFieldValue<byte[]>(0));
            grainState.ETag = reader.GetInt32(1).ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
            await reader.NextResultAsync();
            await reader.ReadAsync();
            // A state written before the rows existed carries its activities itself; the lead converts them.
            if (grainState.State is LeadState { RecentActivities: null, RecentActivityRecords: null } lead)
            {
                lead.ActivityRows = (int)reader.GetInt64(0);
            }
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    /// <summary>A write with nothing alongside the state: a lead's new activities would be lost, so leads use the other overload.</summary>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, LeadWriteExtras.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, LeadWriteExtras extras)
    {
        var (workspace, leadId) = KeyOf(grainId);
        var expected = grainState.ETag is null ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var payload = Payload(serializer, grainState.State);
        var activities = extras.Activities.Count == 0
            ? []
            : extras.Activities.Select(a => new ActivityRow(a.Received, a.Activity.OccurredAt, serializer.SerializeToArray(a.Activity))).ToList();
        var version = await writes.WriteStateAsync(
            workspace, leadId, payload, expected, extras.HistoryEntry, extras.TrimHistory, activities, extras.TrimActivities, extras.IdChunks, extras.ForgetIdChunksBelow);
        if (version == LeadWrites.Conflict)
        {
            throw new InconsistentStateException($"Lead {workspace}/{leadId} was written by someone else since it was read.", grainState.ETag, (string?)null);
        }

        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <summary>The lead's newest <paramref name="limit"/> activity rows, newest occurrence first (then in the order taken).</summary>
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

    /// <summary>The lead's stored chunks of remembered activity ids, oldest first (see <see cref="RememberedActivityIds"/>).</summary>
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

    /// <summary>Deletes the row and the lead's activity rows and remembered ids (erasure), if the state is still the version the grain read.</summary>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
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

            await using var activities = new NpgsqlCommand("DELETE FROM lead_activity WHERE workspace = $1 AND lead_id = $2", connection, transaction)
            {
                Parameters = { new() { Value = workspace }, new() { Value = leadId } },
            };
            await activities.ExecuteNonQueryAsync();
            await using var ids = new NpgsqlCommand("DELETE FROM lead_activity_ids WHERE workspace = $1 AND lead_id = $2", connection, transaction)
            {
                Parameters = { new() { Value = workspace }, new() { Value = leadId } },
            };
            await ids.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>
    /// A state's payload in lead_state: a lead's recent activities are left out (they are rows of their own).
    /// The grain awaits its write, so nothing reads its state while the list is set aside.
    /// </summary>
    public static byte[] Payload<T>(Serializer serializer, T state)
    {
        if (state is not LeadState { RecentActivities: { } recent } lead)
        {
            return serializer.SerializeToArray(state);
        }

        lead.RecentActivities = null;
        try
        {
            return serializer.SerializeToArray(state);
        }
        finally
        {
            lead.RecentActivities = recent;
        }
    }

    private static (string Workspace, string LeadId) KeyOf(GrainId grainId) => WorkspaceKey.Parse(grainId.Key.ToString()!);
}

/// <summary>
/// A lead storage that commits a state with what goes alongside it in one transaction: the score history entry
/// of the score it holds and the activities it took since its last write (both only if the state write
/// succeeds). It keeps recent activities as rows of their own, so every write of a lead must come through
/// here. Storages without it keep the activities in the state and get the history entry separately.
/// </summary>
public interface ILeadStateStorage
{
    /// <summary>As <see cref="IGrainStorage.WriteStateAsync{T}"/>, with the <paramref name="extras"/> committed alongside.</summary>
    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, LeadWriteExtras extras);

    /// <summary>The lead's newest <paramref name="limit"/> stored activities, newest occurrence first, then in the order taken.</summary>
    Task<IReadOnlyList<NumberedActivity>> ReadRecentActivitiesAsync(GrainId grainId, int limit);

    /// <summary>The lead's stored chunks of remembered activity ids, oldest first.</summary>
    Task<IReadOnlyList<long[]>> ReadActivityIdChunksAsync(GrainId grainId);
}

/// <summary>What a lead's state write carries.</summary>
/// <param name="HistoryEntry">The history entry of the score the state holds, if it has a new one.</param>
/// <param name="TrimHistory">The entry brings the lead's history to <see cref="LeadLimits.StoredScoreHistory"/>.</param>
/// <param name="Activities">The activities the lead took since its last write, each with the lead's count when it took it.</param>
/// <param name="TrimActivities">They bring the lead's activity rows to <see cref="LeadLimits.StoredRecentActivities"/>.</param>
public sealed record LeadWriteExtras(ScoreHistoryEntry? HistoryEntry, bool TrimHistory, IReadOnlyList<NumberedActivity> Activities, bool TrimActivities)
{
    public static readonly LeadWriteExtras None = new(null, false, [], false);

    /// <summary>The chunks of remembered activity ids the lead filled since its last write.</summary>
    public IReadOnlyList<ActivityIdChunk> IdChunks { get; init; } = [];

    /// <summary>The lead's stored chunks numbered below this are forgotten (0: none).</summary>
    public int ForgetIdChunksBelow { get; init; }
}

/// <summary>An activity a lead took, with its activity count when it took it (negative: converted from an older state).</summary>
public readonly record struct NumberedActivity(long Received, RecentActivity Activity);

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
