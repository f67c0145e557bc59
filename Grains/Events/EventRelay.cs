using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Streams;

namespace LeadScoring.Grains.Events;

/// <summary>
/// Publishes the PostgreSQL outbox onto the workspaces' streams. Every silo runs one, and the one holding the
/// lease (event_relay_lease) publishes: it claims the oldest unpublished rows, numbers them in write order,
/// commits, then puts them on the streams. A position, once committed, never changes, so every reader can skip
/// what it has seen by position; two relays can never both number a row (the claim skips locked rows, the
/// position is unique). A relay that dies between its commit and its streaming leaves those events to the next
/// holder, which streams its predecessor's last moments again (at least once). A lead's rows are written in the
/// order of its writes, each committed before the next begins, so numbering in write order keeps each lead's
/// events in order. Once an hour the holder deletes what is past the retention (webhook attempts too).
/// </summary>
public sealed partial class EventRelay(
    NpgsqlDataSource database, IWebhookStore webhooks, IClusterClient cluster, ILocalSiloDetails silo, IOptions<EventOptions> options, TimeProvider clock,
    ILogger<EventRelay> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const string LeaseName = "outbox";
    private const int RestreamedAtMost = 10_000;
    private static readonly TimeSpan RetentionSweep = TimeSpan.FromHours(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly string _owner = $"{silo.SiloAddress}";
    private Task _running = Task.CompletedTask;
    private DateTimeOffset _leaseValidUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _leaseRenewDue = DateTimeOffset.MinValue;
    private DateTimeOffset _sweepDue = DateTimeOffset.MinValue;
    private long? _lastPosition;
    private List<WorkspaceEvent> _unstreamed = [];

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(EventRelay), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _running = Task.Run(() => Run(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        try
        {
            // Handing the lease back lets another silo take over now instead of when it runs out.
            await using var command = database.CreateCommand("DELETE FROM event_relay_lease WHERE name = $1 AND owner = $2");
            command.Parameters.Add(new NpgsqlParameter { Value = LeaseName });
            command.Parameters.Add(new NpgsqlParameter { Value = _owner });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            LogReleaseFailed(e);
        }
    }

    private async Task Run(CancellationToken stopping)
    {
        var settings = options.Value;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!await HoldsLease(settings, stopping))
                {
                    await Task.Delay(settings.RelayLease / 3, clock, stopping);
                    continue;
                }

                var published = await PublishBatch(settings.RelayBatch, stopping);
                if (clock.GetUtcNow() >= _sweepDue)
                {
                    await DeleteExpired(settings.Retention, stopping);
                    _sweepDue = clock.GetUtcNow() + RetentionSweep;
                }

                if (published < settings.RelayBatch)
                {
                    await Task.Delay(settings.RelayIdlePoll, clock, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database or the streams are unavailable: nothing was numbered, so the rows wait for the next try.
                _lastPosition = null;
                LogRelayFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Takes or renews the lease when due; true while this silo holds it.</summary>
    private async Task<bool> HoldsLease(EventOptions settings, CancellationToken stopping)
    {
        var now = clock.GetUtcNow();
        if (now < _leaseRenewDue && now < _leaseValidUntil)
        {
            return true;
        }

        await using var command = database.CreateCommand("""
            INSERT INTO event_relay_lease (name, owner, expires_at) VALUES ($1, $2, now() + $3)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
             WHERE event_relay_lease.owner = excluded.owner OR event_relay_lease.expires_at < now()
            RETURNING owner
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = LeaseName });
        command.Parameters.Add(new NpgsqlParameter { Value = _owner });
        command.Parameters.Add(new NpgsqlParameter { Value = settings.RelayLease });
        var held = await command.ExecuteScalarAsync(stopping) is not null;
        if (!held)
        {
            _lastPosition = null;
            _leaseValidUntil = DateTimeOffset.MinValue;
            return false;
        }

        if (now >= _leaseValidUntil)
        {
            LogLeaseTaken(_owner);
            await StreamAgainRecent(settings.RelayLease * 2, stopping);
        }

        // Counted from before the renewal was sent, so this silo stops believing it holds the lease before the database does.
        _leaseValidUntil = now + settings.RelayLease;
        _leaseRenewDue = now + settings.RelayLease / 3;
        return true;
    }

    /// <summary>Numbers the oldest unpublished rows, commits, then puts them on the streams; returns how many.</summary>
    private async Task<int> PublishBatch(int batch, CancellationToken stopping)
    {
        if (_unstreamed.Count > 0)
        {
            await Stream(_unstreamed);
            _unstreamed = [];
        }

        var numbered = await Number(batch, stopping);
        if (numbered.Count > 0)
        {
            // Kept until they are on the streams: a failure retries them before anything newer.
            _unstreamed = numbered;
            await Stream(numbered);
            _unstreamed = [];
            EventMeters.Published.Add(numbered.Count);
        }

        return numbered.Count;
    }

    private async Task<List<WorkspaceEvent>> Number(int batch, CancellationToken stopping)
    {
        await using var connection = await database.OpenConnectionAsync(stopping);
        await using var transaction = await connection.BeginTransactionAsync(stopping);
        _lastPosition ??= await LastPosition(connection, transaction, stopping);
        var claimed = new List<(long Row, WorkspaceEvent Event)>();
        await using (var claim = new NpgsqlCommand($"""
            SELECT id, {PostgresEventOutbox.Columns} FROM event_outbox
             WHERE position IS NULL
               AND EXISTS (SELECT 1 FROM event_relay_lease WHERE name = $1 AND owner = $2 AND expires_at > now())
             ORDER BY id LIMIT $3
               FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = LeaseName });
            claim.Parameters.Add(new NpgsqlParameter { Value = _owner });
            claim.Parameters.Add(new NpgsqlParameter { Value = batch });
            await using var reader = await claim.ExecuteReaderAsync(stopping);
            while (await reader.ReadAsync(stopping))
            {
                claimed.Add((reader.GetInt64(0), PostgresEventOutbox.Read(reader, offset: 1)));
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        var first = _lastPosition.Value + 1;
        await using (var number = new NpgsqlCommand("""
            UPDATE event_outbox o SET position = $2 + u.n - 1, published_at = now()
              FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, n)
             WHERE o.id = u.id
            """, connection, transaction))
        {
            number.Parameters.Add(new NpgsqlParameter { Value = claimed.ConvertAll(c => c.Row).ToArray() });
            number.Parameters.Add(new NpgsqlParameter { Value = first });
            await number.ExecuteNonQueryAsync(stopping);
        }

        await transaction.CommitAsync(stopping);
        _lastPosition = first + claimed.Count - 1;
        return claimed.Select((c, i) => c.Event with { Position = first + i }).ToList();
    }

    /// <summary>Each workspace's events onto its stream, in order, as one batch: one message per workspace, not per event.</summary>
    private Task Stream(IReadOnlyList<WorkspaceEvent> events)
    {
        var provider = cluster.GetStreamProvider(EventStreams.Provider);
        return Task.WhenAll(events.GroupBy(e => e.Workspace, StringComparer.Ordinal).Select(workspace =>
            provider.GetStream<EventBatch>(EventStreams.Of(workspace.Key)).OnNextAsync(new EventBatch([.. workspace]))));
    }

    /// <summary>
    /// A new holder puts the events numbered in the last moments of the previous one on the streams again: that one
    /// may have died between its commit and its streaming. Readers skip positions they have seen.
    /// </summary>
    private async Task StreamAgainRecent(TimeSpan window, CancellationToken stopping)
    {
        await using var command = database.CreateCommand($"""
            SELECT {PostgresEventOutbox.Columns} FROM event_outbox
             WHERE position IS NOT NULL
               AND position > (SELECT coalesce(max(position), 0) FROM event_outbox WHERE position IS NOT NULL) - $2
               AND published_at > now() - $1
             ORDER BY position
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = window });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)RestreamedAtMost });
        var recent = new List<WorkspaceEvent>();
        await using (var reader = await command.ExecuteReaderAsync(stopping))
        {
            while (await reader.ReadAsync(stopping))
            {
                recent.Add(PostgresEventOutbox.Read(reader));
            }
        }

        await Stream(recent);
    }

    private static async Task<long> LastPosition(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken stopping)
    {
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(max(position), 0) FROM event_outbox WHERE position IS NOT NULL", connection, transaction);
        return (long)(await command.ExecuteScalarAsync(stopping))!;
    }

    /// <summary>
    /// Deletes published rows past the retention, oldest first, a range of positions at a time, and the webhook
    /// delivery attempts as old.
    /// </summary>
    private async Task DeleteExpired(TimeSpan retention, CancellationToken stopping)
    {
        const int Chunk = 5000;
        int deleted;
        do
        {
            await using var command = database.CreateCommand("""
                DELETE FROM event_outbox
                 WHERE position IS NOT NULL AND published_at < now() - $1
                   AND position < (SELECT min(position) FROM event_outbox WHERE position IS NOT NULL) + $2
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = retention });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)Chunk });
            deleted = await command.ExecuteNonQueryAsync(stopping);
        }
        while (deleted > 0 && !stopping.IsCancellationRequested);
        await webhooks.DeleteAttemptsBeforeAsync(clock.GetUtcNow() - retention);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Owner} now publishes the event outbox")]
    private partial void LogLeaseTaken(string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the event outbox failed; retrying")]
    private partial void LogRelayFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event relay's lease could not be handed back as the silo stopped")]
    private partial void LogReleaseFailed(Exception e);
}
