using System.Globalization;
using LeadScoring.Grains.Interfaces;
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
/// serializer wrapper grows a buffer by doubling and then copies it: about 10 KB of garbage per write).
/// </remarks>
public sealed class LeadStateStorage(NpgsqlDataSource database, Serializer serializer, LeadWrites writes) : IGrainStorage, IStateWithHistoryStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (workspace, leadId) = KeyOf(grainId);
        await using var command = database.CreateCommand("SELECT payload, version FROM lead_state WHERE workspace = @w AND lead_id = @l");
        command.Parameters.AddWithValue("w", workspace);
        command.Parameters.AddWithValue("l", leadId);
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.State = serializer.Deserialize<T>(reader.GetFieldValue<byte[]>(0));
            grainState.ETag = reader.GetInt32(1).ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Write(grainId, grainState, entry: null, trimHistory: false);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, ScoreHistoryEntry entry, bool trimHistory) =>
        Write(grainId, grainState, entry, trimHistory);

    private async Task Write<T>(GrainId grainId, IGrainState<T> grainState, ScoreHistoryEntry? entry, bool trimHistory)
    {
        var (workspace, leadId) = KeyOf(grainId);
        var expected = grainState.ETag is null ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var payload = serializer.SerializeToArray(grainState.State);
        var version = await writes.WriteStateAsync(workspace, leadId, payload, expected, entry, trimHistory);
        if (version == LeadWrites.Conflict)
        {
            throw new InconsistentStateException($"Lead {workspace}/{leadId} was written by someone else since it was read.", grainState.ETag, (string?)null);
        }

        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <summary>Deletes the row (erasure), if it is still the version the grain read.</summary>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (workspace, leadId) = KeyOf(grainId);
        if (grainState.ETag is { } etag)
        {
            await using var command = database.CreateCommand("DELETE FROM lead_state WHERE workspace = @w AND lead_id = @l AND version = @v");
            command.Parameters.AddWithValue("w", workspace);
            command.Parameters.AddWithValue("l", leadId);
            command.Parameters.AddWithValue("v", int.Parse(etag, CultureInfo.InvariantCulture));
            if (await command.ExecuteNonQueryAsync() == 0)
            {
                throw new InconsistentStateException($"Lead {workspace}/{leadId} was written by someone else since it was read.", etag, (string?)null);
            }
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static (string Workspace, string LeadId) KeyOf(GrainId grainId) => WorkspaceKey.Parse(grainId.Key.ToString()!);
}

/// <summary>
/// A lead storage that commits a state and the score history entry of the score it holds in one transaction
/// (the entry only if the state write succeeds). Storages without it get the two writes separately.
/// </summary>
public interface IStateWithHistoryStorage
{
    /// <summary>As <see cref="IGrainStorage.WriteStateAsync{T}"/>, with the lead's new history entry committed alongside.</summary>
    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, ScoreHistoryEntry entry, bool trimHistory);
}
