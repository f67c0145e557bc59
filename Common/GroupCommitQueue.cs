using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Common;

/// <summary>
/// Group commit: what many concurrent callers want written is gathered by one writer and committed together
/// (one transaction, a few statements), and each caller's task completes only once its own item is committed.
/// While batches are being committed the next one gathers, so the batch size follows the load by itself: one
/// item when the silo is quiet, hundreds under load, and the database sees a few commits per second per
/// silo instead of one per change. Two batches may commit at once: with one at a time the disk's flush latency
/// alone would cap the throughput (batch size / flush time), and with more the batches get smaller and each
/// item pays more of a transaction (docs/performance.md, "Figures behind the code").
/// Batches are independent: a caller that needs its writes in order awaits each before the next.
/// </summary>
/// <typeparam name="TItem">What one caller wants written.</typeparam>
/// <typeparam name="TResult">What the commit tells each caller (for example its row's new version).</typeparam>
public sealed class GroupCommitQueue<TItem, TResult> : IAsyncDisposable
{
    private readonly KeyValuePair<string, object?> _queueTag;
    private readonly Func<IReadOnlyList<TItem>, Task<TResult[]>> _commit;
    private readonly int _maxBatch;
    private readonly int _maxConcurrentCommits;
    private readonly SemaphoreSlim _commitSlots;
    private readonly ILogger _logger;
    private readonly string _what;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <param name="commit">Writes a batch durably and returns one result per item, in the items' order.</param>
    public GroupCommitQueue(Func<IReadOnlyList<TItem>, Task<TResult[]>> commit, int maxBatch, ILogger logger, string what, int maxConcurrentCommits = 2)
    {
        _commit = commit;
        _maxBatch = maxBatch;
        _maxConcurrentCommits = maxConcurrentCommits;
        _commitSlots = new SemaphoreSlim(maxConcurrentCommits);
        _logger = logger;
        _what = what;
        _queueTag = new("queue", what);
        _writer = Task.Run(WriteBatches);
    }

    /// <summary>Completes with the item's result once its batch is committed, or with the batch's error.</summary>
    public Task<TResult> EnqueueAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), Stopwatch.GetTimestamp());
        return _pending.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromException<TResult>(new ObjectDisposedException(_what));
    }

    /// <summary>Stops taking items and waits for everything taken to be committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
        for (var slot = 0; slot < _maxConcurrentCommits; slot++)
        {
            await _commitSlots.WaitAsync();
        }
    }

    private async Task WriteBatches()
    {
        while (await _pending.Reader.WaitToReadAsync())
        {
            // Gathering only once a commit slot is free lets the batch grow while all slots are busy.
            await _commitSlots.WaitAsync();
            var batch = new List<Pending>();
            while (batch.Count < _maxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            _ = CommitBatch(batch);
        }
    }

    private async Task CommitBatch(List<Pending> batch)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var results = await _commit(batch.ConvertAll(p => p.Item));
            var committed = Stopwatch.GetTimestamp();
            GroupCommitMeters.BatchSize.Record(batch.Count, _queueTag);
            GroupCommitMeters.CommitDuration.Record(Stopwatch.GetElapsedTime(started, committed).TotalMilliseconds, _queueTag);
            for (var i = 0; i < batch.Count; i++)
            {
                GroupCommitMeters.QueueWait.Record(Stopwatch.GetElapsedTime(batch[i].Enqueued, started).TotalMilliseconds, _queueTag);
                GroupCommitMeters.ItemWait.Record(Stopwatch.GetElapsedTime(batch[i].Enqueued, committed).TotalMilliseconds, _queueTag);
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Committing {Count} {What} failed", batch.Count, _what);
            batch.ForEach(p => p.Done.TrySetException(e));
        }
        finally
        {
            _commitSlots.Release();
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Done, long Enqueued);
}

/// <summary>
/// The group commits' instruments (meter "LeadScoring.GroupCommit", tagged with the queue's name): how long a
/// caller waits for its item to be durable, split into the gathering (the item waits for a free commit slot)
/// and the commit itself, and how many items a commit carries. A write's tail latency starts here.
/// </summary>
public static class GroupCommitMeters
{
    public const string MeterName = "LeadScoring.GroupCommit";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>From an item's enqueue to its batch's commit, in milliseconds.</summary>
    public static readonly Histogram<double> ItemWait = Meter.CreateHistogram<double>("leadscoring.group_commit.item_wait", "ms");

    /// <summary>From an item's enqueue to the start of its batch's commit (waiting for a free commit slot), in milliseconds.</summary>
    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("leadscoring.group_commit.queue_wait", "ms");

    /// <summary>One batch's commit (its statements and the commit's WAL flush), in milliseconds.</summary>
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("leadscoring.group_commit.commit_duration", "ms");

    /// <summary>Items per committed batch.</summary>
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("leadscoring.group_commit.batch_size", "{item}");
}
