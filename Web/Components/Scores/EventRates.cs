using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Web.Components.Scores;

/// <summary>Scores and new leads per minute, counted from the live events a page receives.</summary>
public sealed class EventRates(DateTimeOffset since)
{
    private readonly Queue<DateTimeOffset> _scored = new();
    private readonly Queue<DateTimeOffset> _created = new();

    public DateTimeOffset Since { get; } = since;

    public void Count(WorkspaceEvent e)
    {
        var now = DateTimeOffset.UtcNow;
        if (e.Type == EventTypes.LeadScored)
        {
            Add(_scored, now);
        }
        else if (e.Type == EventTypes.LeadCreated)
        {
            Add(_created, now);
        }
    }

    public int ScoredLastMinute(DateTimeOffset now) => Within(_scored, now);

    public int CreatedLastMinute(DateTimeOffset now) => Within(_created, now);

    private static void Add(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        lock (times)
        {
            times.Enqueue(now);
            Trim(times, now);
        }
    }

    private static int Within(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        lock (times)
        {
            Trim(times, now);
            return times.Count;
        }
    }

    private static void Trim(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() < now.AddMinutes(-1))
        {
            times.Dequeue();
        }
    }
}
