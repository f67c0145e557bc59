using System.Diagnostics;
using LeadScoring.Api.Options;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Repeats a grain call that is safe to repeat while it fails for want of the cluster or its database (a silo that
/// died and is not yet declared dead, PostgreSQL restarting), with growing pauses, for at most
/// <see cref="UnavailableRetryOptions.RetryFor"/> after its first failure. What still fails then is the caller's 503.
/// </summary>
/// <remarks>
/// Only calls whose repetition changes nothing are given to it: reads, upserts (a merge), activities that all carry
/// ids (a repeat is a duplicate) and score batches. A call that timed out may have run; repeating it is then harmless
/// for the same reason.
/// </remarks>
public sealed class UnavailableRetry(UnavailableRetryOptions options, ILogger<UnavailableRetry> logger)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);
    private readonly UnavailableRetryOptions _options = options;
    private readonly ILogger _logger = logger;
    private int _waiting;

    public Task CallAsync(HttpContext http, Func<Task> call) => CallAsync(http, async () =>
    {
        await call();
        return true;
    });

    /// <param name="repeatable">False for a call that a repeat could count twice (an activity without an id): it is made once.</param>
    public Task<T> CallAsync<T>(HttpContext http, Func<Task<T>> call, bool repeatable = true) =>
        !repeatable || _options.RetryFor == TimeSpan.Zero ? call() : CallAsync(http, call, new Attempts(this, http));

    /// <summary>
    /// A batch call: the items it answers as unavailable are asked again (only those), until none is or the time
    /// is up; then the answer names the ones still unavailable.
    /// </summary>
    public async Task<IReadOnlyList<TResult?>> CallBatchAsync<TItem, TResult>(
        HttpContext http, IReadOnlyList<TItem> items, Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult?>>> call,
        Func<TResult?, bool> unavailable, bool repeatable = true)
        where TResult : class
    {
        if (!repeatable || _options.RetryFor == TimeSpan.Zero)
        {
            return await call(items);
        }

        var attempts = new Attempts(this, http);
        var results = (await CallAsync(http, () => call(items), attempts)).ToArray();
        var pending = Enumerable.Range(0, results.Length).Where(i => unavailable(results[i])).ToList();
        while (pending.Count > 0 && await attempts.PauseAsync($"{pending.Count} unavailable items"))
        {
            var again = await CallAsync(http, () => call([.. pending.Select(i => items[i])]), attempts);
            for (var k = 0; k < pending.Count; k++)
            {
                results[pending[k]] = again[k];
            }

            pending = [.. pending.Where(i => unavailable(results[i]))];
        }

        return results;
    }

    private static async Task<T> CallAsync<T>(HttpContext http, Func<Task<T>> call, Attempts attempts)
    {
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (ErrorHandling.IsUnavailable(e))
            {
                if (!await attempts.PauseAsync(e.GetType().Name))
                {
                    throw;
                }
            }
        }
    }

    /// <summary>One request's retries: the time left since its first failure, and the growing pause.</summary>
    private sealed class Attempts(UnavailableRetry retry, HttpContext http)
    {
        private long _firstFailure;
        private TimeSpan _pause = FirstPause;

        /// <summary>
        /// Waits before the next attempt, unless the time is up, as many requests wait already as allowed or the
        /// client went away: then the failure stands.
        /// </summary>
        public async Task<bool> PauseAsync(string failure)
        {
            _firstFailure = _firstFailure == 0 ? Stopwatch.GetTimestamp() : _firstFailure;
            var left = retry._options.RetryFor - Stopwatch.GetElapsedTime(_firstFailure);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            // Between 75% and 125% of the pause, so that requests that failed together do not come back together.
            var pause = TimeSpan.FromTicks(Math.Min(left.Ticks, (long)(_pause.Ticks * (0.75 + 0.5 * Random.Shared.NextDouble()))));
            _pause = TimeSpan.FromTicks(Math.Min(2 * _pause.Ticks, LongestPause.Ticks));
            try
            {
                if (Interlocked.Increment(ref retry._waiting) > retry._options.MaxWaitingRequests)
                {
                    return false;
                }

                retry._logger.LogDebug("Retrying {Path} after {Failure}", http.Request.Path, failure);
                await Task.Delay(pause, http.RequestAborted);
                return true;
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                return false;
            }
            finally
            {
                Interlocked.Decrement(ref retry._waiting);
            }
        }
    }
}
