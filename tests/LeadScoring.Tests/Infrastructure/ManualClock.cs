namespace LeadScoring.Tests.Infrastructure;

/// <summary>A <see cref="TimeProvider"/> that stands still until the test moves it: expiries and refills without sleeping.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    /// <summary>Sets the clock to <paramref name="now"/>, backwards too (as NTP may).</summary>
    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
}
