namespace LeadScoring.Tests.Infrastructure;

/// <summary>
/// Waiting for the system: ask again until the answer is the one expected or the deadline passes, then fail
/// with the last answer. Tests never sleep a fixed time hoping the system got there; the deadline is generous
/// because a 2-core machine running silos, PostgreSQL and the tests can stall for seconds.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The first value <paramref name="read"/> returns that satisfies <paramref name="done"/>.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string waitingFor, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        var interval = Interval;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"waited {(deadline ?? DefaultDeadline).TotalSeconds:0} s for {waitingFor}; last: {Describe(value)}");
            }

            await Pause(interval);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, LongestInterval.Ticks));
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static Task True(Func<Task<bool>> condition, string waitingFor, TimeSpan? deadline = null) =>
        Until(condition, done => done, waitingFor, deadline);

    /// <summary>Waits until <paramref name="condition"/> holds (a condition that needs no I/O, such as a counter).</summary>
    public static Task True(Func<bool> condition, string waitingFor, TimeSpan? deadline = null) =>
        Until(() => Task.FromResult(condition()), done => done, waitingFor, deadline);

    /// <summary>
    /// The one place a test lets time pass: between two questions to the system. Load tests that must keep a
    /// load running until something happened use <see cref="True(Func{bool}, string, TimeSpan?)"/> with a count.
    /// </summary>
    private static Task Pause(TimeSpan interval) => Task.Delay(interval);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable items and not string => string.Join(", ", items.Cast<object?>().Take(20)),
        _ => value.ToString() ?? "",
    };
}
