using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Grains.Storage;

/// <summary>
/// Group commit: what many concurrent callers want written is gathered by one writer and committed together
/// (one transaction, a few statements), and each caller's task completes only once its own item is committed.
/// While a batch is being committed the next one gathers, so the batch size follows the load by itself: one
/// item when the silo is quiet, hundreds under load, and the database sees a few commits per second per
/// silo instead of one per change.
/// </summary>
/// <typeparam name="TItem">What one caller wants written.</typeparam>
/// <typeparam name="TResult">What the commit tells each caller (for example its row's new version).</typeparam>
public sealed class GroupCommitQueue<TItem, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TItem>, Task<TResult[]>> _commit;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly string _what;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <param name="commit">Writes a batch durably and returns one result per item, in the items' order.</param>
    public GroupCommitQueue(Func<IReadOnlyList<TItem>, Task<TResult[]>> commit, int maxBatch, ILogger logger, string what)
    {
        _commit = commit;
        _maxBatch = maxBatch;
        _logger = logger;
        _what = what;
        _writer = Task.Run(WriteBatches);
    }

    /// <summary>Completes with the item's result once its batch is committed, or with the batch's error.</summary>
    public Task<TResult> EnqueueAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        return _pending.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromException<TResult>(new ObjectDisposedException(_what));
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteBatches()
    {
        var batch = new List<Pending>(_maxBatch);
        var items = new List<TItem>(_maxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
                items.Add(next.Item);
            }

            try
            {
                var results = await _commit(items);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Committing {Count} {What} failed", batch.Count, _what);
                batch.ForEach(p => p.Done.TrySetException(e));
            }

            batch.Clear();
            items.Clear();
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Done);
}
