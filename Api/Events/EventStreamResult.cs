using LeadScoring.Web.Live;
using System.Text;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Events;

/// <summary>
/// A <c>text/event-stream</c> of a workspace's events. It listens before it reads the backlog, so an event
/// published meanwhile is in one or the other, and skips live events at or below the last position it wrote,
/// so none is written twice. Each event's SSE id is its event id, which a reconnecting client sends back.
/// A client that falls far behind is disconnected and resumes from the outbox with its last id.
/// </summary>
public sealed class EventStreamResult(string workspace, IReadOnlySet<string>? types, long? after, IClusterClient cluster, WorkspaceEventFeed feed)
    : IResult
{
    private const int BacklogPage = 500;
    private const int LiveCapacity = 10_000;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public async Task ExecuteAsync(HttpContext context)
    {
        var closed = context.RequestAborted;
        CallerWorkspace.Set(workspace);
        await using var listener = await feed.ListenAsync(workspace, LiveCapacity);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 2000\n\n", closed);
        await response.Body.FlushAsync(closed);

        var last = after ?? long.MinValue;
        if (after is not null)
        {
            var history = cluster.GetGrain<IEventHistoryGrain>(workspace);
            EventPage page;
            do
            {
                page = await history.Read(last, BacklogPage);
                foreach (var e in page.Events)
                {
                    await Write(response, e, closed);
                    last = e.Position;
                }

                await response.Body.FlushAsync(closed);
            }
            while (!page.Complete && !closed.IsCancellationRequested);
        }

        try
        {
            var events = listener.Events;
            while (!closed.IsCancellationRequested)
            {
                var waiting = events.WaitToReadAsync(closed).AsTask();
                if (await Task.WhenAny(waiting, Task.Delay(KeepAlive, closed)) != waiting)
                {
                    await response.WriteAsync(": keep-alive\n\n", closed);
                    await response.Body.FlushAsync(closed);
                    continue;
                }

                if (!await waiting)
                {
                    return;
                }

                while (events.TryRead(out var e))
                {
                    if (e.Position > last)
                    {
                        await Write(response, e, closed);
                        last = e.Position;
                    }
                }

                await response.Body.FlushAsync(closed);
            }
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private Task Write(HttpResponse response, WorkspaceEvent e, CancellationToken closed) =>
        types is not null && !types.Contains(e.Type)
            ? Task.CompletedTask
            : response.WriteAsync(new StringBuilder(e.Data.Length + 256)
                .Append("id: ").Append(e.Id).Append('\n')
                .Append("event: ").Append(e.Type).Append('\n')
                .Append("data: ").Append(e.ToJson()).Append("\n\n").ToString(), closed);
}
