using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LeadScoring.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadScoring.Tests.Common;

[Trait("Category", "Unit")]
public class GroupCommitQueueTests
{
    [Fact]
    public async Task Each_caller_gets_its_own_result_once_its_batch_committed_and_the_waits_are_measured()
    {
        var queueName = $"test-{Guid.NewGuid():N}";
        var measured = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GroupCommitMeters.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "queue", Value: string name } && name == queueName)
                {
                    measured.GetOrAdd(instrument.Name, _ => []).Add(value);
                }
            }
        }

        listener.SetMeasurementEventCallback<double>(Record);
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => Record(instrument, value, tags, state));
        listener.Start();

        var batches = new ConcurrentQueue<int>();
        var release = new TaskCompletionSource();
        await using var queue = new GroupCommitQueue<int, int>(async items =>
        {
            await release.Task;
            batches.Enqueue(items.Count);
            return [.. items.Select(i => i * 10)];
        }, maxBatch: 50, NullLogger.Instance, queueName, maxConcurrentCommits: 1);

        var results = Enumerable.Range(0, 200).Select(queue.EnqueueAsync).ToList();
        release.SetResult();

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 10), await Task.WhenAll(results));
        // The first batch is whatever had come when the one commit slot took it; everything else waited for that
        // slot and was taken in full batches of 50, the last one the rest.
        var sizes = batches.ToList();
        var waited = 200 - sizes[0];
        Assert.InRange(sizes[0], 1, 50);
        Assert.Equal(Enumerable.Range(0, (waited + 49) / 50).Select(i => Math.Min(50, waited - i * 50)), sizes.Skip(1));
        Assert.Equal(200, measured["leadscoring.group_commit.item_wait"].Count);
        Assert.Equal(batches.Count, measured["leadscoring.group_commit.commit_duration"].Count);
        Assert.Equal(batches.Order(), measured["leadscoring.group_commit.batch_size"].Select(b => (int)b).Order());
        Assert.All(measured["leadscoring.group_commit.item_wait"], wait => Assert.True(wait >= 0));
    }

    [Fact]
    public async Task A_failed_commit_fails_its_callers_and_the_queue_goes_on()
    {
        var fail = true;
        await using var queue = new GroupCommitQueue<int, int>(items =>
            fail ? throw new InvalidOperationException("database down") : Task.FromResult(items.ToArray()),
            maxBatch: 10, NullLogger.Instance, "failing");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.EnqueueAsync(1));
        Assert.Equal("database down", error.Message);
        fail = false;
        Assert.Equal(2, await queue.EnqueueAsync(2));
    }
}
