using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Events;

/// <summary>
/// Reads a workspace's outbox past a position, for a grain that follows it (a webhook endpoint, the lead index):
/// the outbox is where the events are, and a live event on the stream, a timer or a reminder only wakes the reader.
/// One read at a time, on the grain's scheduler; a wake during a read makes it read again. Pages are taken while the
/// follower <c>wantsMore</c>, so a long backlog does not fill the memory.
/// </summary>
public sealed class OutboxFollower(
    IEventOutbox outbox, string workspace, long through, Func<IReadOnlyList<WorkspaceEvent>, Task> take, Func<bool> wantsMore, Action<Exception> failed)
{
    public const int Page = 500;

    private bool _reading;
    private bool _readAgain;

    /// <summary>The position through which events were read and taken.</summary>
    public long Through { get; set; } = through;

    public void Wake()
    {
        if (_reading)
        {
            _readAgain = true;
            return;
        }

        _ = Read();
    }

    private async Task Read()
    {
        _reading = true;
        try
        {
            do
            {
                _readAgain = false;
                EventPage page;
                do
                {
                    if (!wantsMore())
                    {
                        return;
                    }

                    page = await outbox.ReadAsync(workspace, Through, Page);
                    await take(page.Events);
                    if (page.Events.Count > 0)
                    {
                        Through = Math.Max(Through, page.Events[^1].Position);
                    }
                }
                while (!page.Complete);
            }
            while (_readAgain);
        }
        catch (Exception e)
        {
            // Read again on the next wake.
            failed(e);
        }
        finally
        {
            _reading = false;
        }
    }
}
