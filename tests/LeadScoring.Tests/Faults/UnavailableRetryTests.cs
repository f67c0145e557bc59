using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Options;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadScoring.Tests.Faults;

/// <summary>What the API repeats while the cluster is unavailable, and what it never repeats.</summary>
public class UnavailableRetryTests
{
    private static UnavailableRetry Retry(TimeSpan retryFor, int maxWaiting = 512) =>
        new(new UnavailableRetryOptions { RetryFor = retryFor, MaxWaitingRequests = maxWaiting }, NullLogger<UnavailableRetry>.Instance);

    private static Func<Task<int>> FailingTimes(int failures, Func<Exception> failure, List<int> calls) => () =>
    {
        calls.Add(calls.Count);
        return calls.Count <= failures ? throw failure() : Task.FromResult(calls.Count);
    };

    [Fact]
    public async Task An_unavailable_call_is_made_again_until_it_succeeds()
    {
        var calls = new List<int>();
        var answer = await Retry(TimeSpan.FromSeconds(30)).CallAsync(new DefaultHttpContext(), FailingTimes(3, () => new StorageUnavailableException("down"), calls));
        Assert.Equal(4, answer);
    }

    [Fact]
    public async Task A_call_that_is_not_repeatable_or_fails_for_another_reason_is_made_once()
    {
        var notRepeatable = new List<int>();
        await Assert.ThrowsAsync<StorageUnavailableException>(() => Retry(TimeSpan.FromSeconds(30))
            .CallAsync(new DefaultHttpContext(), FailingTimes(1, () => new StorageUnavailableException("down"), notRepeatable), repeatable: false));
        var bug = new List<int>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Retry(TimeSpan.FromSeconds(30))
            .CallAsync(new DefaultHttpContext(), FailingTimes(1, () => new InvalidOperationException("bug"), bug)));
        Assert.Equal([1, 1], [notRepeatable.Count, bug.Count]);
    }

    [Fact]
    public async Task Retrying_stops_when_its_time_is_up_when_too_many_wait_and_when_it_is_off()
    {
        var outlasting = new List<int>();
        await Assert.ThrowsAsync<StorageUnavailableException>(() => Retry(TimeSpan.FromMilliseconds(300))
            .CallAsync(new DefaultHttpContext(), FailingTimes(int.MaxValue, () => new StorageUnavailableException("down"), outlasting)));
        var noRoom = new List<int>();
        await Assert.ThrowsAsync<TimeoutException>(() => Retry(TimeSpan.FromSeconds(30), maxWaiting: 0)
            .CallAsync(new DefaultHttpContext(), FailingTimes(1, () => new TimeoutException(), noRoom)));
        var off = new List<int>();
        await Assert.ThrowsAsync<TimeoutException>(() => Retry(TimeSpan.Zero)
            .CallAsync(new DefaultHttpContext(), FailingTimes(1, () => new TimeoutException(), off)));
        Assert.True(outlasting.Count > 1, $"{outlasting.Count} calls");
        Assert.Equal([1, 1], [noRoom.Count, off.Count]);
    }

    [Fact]
    public async Task A_batch_asks_again_only_for_its_unavailable_items_and_keeps_the_answers_it_has()
    {
        var asked = new List<string[]>();
        Task<IReadOnlyList<string?>> Call(IReadOnlyList<string> items)
        {
            asked.Add([.. items]);
            // Item "b" is unavailable the first two times it is asked; the others answer at once.
            return Task.FromResult<IReadOnlyList<string?>>([.. items.Select(item =>
                item == "b" && asked.Count(batch => batch.Contains("b")) <= 2 ? "unavailable" : $"ok {item}")]);
        }

        var answers = await Retry(TimeSpan.FromSeconds(30)).CallBatchAsync(new DefaultHttpContext(), ["a", "b", "c"], Call, answer => answer == "unavailable");
        Assert.Equal(["ok a", "ok b", "ok c"], answers);
        Assert.Equal([["a", "b", "c"], ["b"], ["b"]], asked);
    }
}
