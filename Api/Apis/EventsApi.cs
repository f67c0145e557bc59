using LeadScoring.Web.Live;
using LeadScoring.Api.Events;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadScoring.Api.Apis;

public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/events").WithTags("Events");
        api.MapGet("", Follow).Describe("FollowEvents", "Follow the workspace's events as server-sent events", 400).Produces(StatusCodes.Status200OK, contentType: "text/event-stream").Authorized(Policies.Read);
        return api;
    }

    /// <summary>
    /// The workspace's events as server-sent events: from now on, or after the event a reconnecting client saw
    /// last (<c>Last-Event-ID</c>, or <c>last_event_id</c>), within the outbox's retention.
    /// </summary>
    public static async Task<Results<EventStreamResult, ValidationProblem>> Follow(
        HttpContext context, IClusterClient cluster, WorkspaceEventFeed feed, UnavailableRetry retry,
        [FromQuery] string? types, [FromQuery(Name = "last_event_id")] string? lastEventIdQuery)
    {
        var workspace = Workspaces.Of(context);
        var errors = new List<ValidationError>();
        var wanted = ParseTypes(types, errors);
        var resume = context.Request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } header ? header : lastEventIdQuery;
        long? after = null;
        if (resume is not null)
        {
            after = await retry.CallAsync(context, () => cluster.GetGrain<IEventHistoryGrain>(workspace).PositionOf(resume));
            if (after is null)
            {
                errors.Add(new ValidationError("last_event_id", "is not an event of this workspace within the outbox's retention: follow from now instead"));
            }
        }

        return errors.Count > 0 ? Problems.Invalid(errors) : new EventStreamResult(workspace, wanted, after, cluster, feed);
    }

    /// <summary>A comma-separated list of event types; null (every type) when absent.</summary>
    internal static IReadOnlySet<string>? ParseTypes(string? types, List<ValidationError> errors, string field = "types")
    {
        if (string.IsNullOrWhiteSpace(types))
        {
            return null;
        }

        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!EventTypes.All.Contains(type))
            {
                errors.Add(new ValidationError(field, $"'{type}' is not an event type; the types are {string.Join(", ", EventTypes.All.Order())}"));
            }

            wanted.Add(type);
        }

        return wanted;
    }
}
