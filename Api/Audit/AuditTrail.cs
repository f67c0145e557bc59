using LeadScoring.Common;
using System.Diagnostics;
using LeadScoring.Api.Infrastructure;

namespace LeadScoring.Api.Audit;

/// <summary>Marks an endpoint as audited, under an action name such as "lead.upsert".</summary>
/// <param name="OnlyWhenAdmin">
/// For reads: audited only when the caller is an admin, the one role that sees personal data unmasked.
/// </param>
public sealed record AuditedAction(string Action, bool OnlyWhenAdmin = false);

public static class AuditedEndpoints
{
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder endpoint, string action, bool onlyWhenAdmin = false) =>
        endpoint.WithMetadata(new AuditedAction(action, onlyWhenAdmin));
}

/// <summary>
/// Writes the audit entry of every call to an endpoint marked <see cref="AuditedAction"/>, whatever its
/// outcome, before the response is sent: an audited call is answered only once its entry is durable. Calls
/// refused for their role are recorded by <see cref="RecordDeniedAsync"/> (authorization answers them before
/// any endpoint filter runs). Calls without a valid token have no subject or workspace to record; they are
/// only logged.
/// </summary>
public sealed class AuditTrail(IAuditLog log, UnavailableRetry retry, TimeProvider clock, ILogger<AuditTrail> logger) : IEndpointFilter
{
    private const string TargetItem = "leadscoring.audit.target";

    /// <summary>Names what a call acts on when the route does not (a create names it in the body).</summary>
    public static void Target(HttpContext context, string target) => context.Items[TargetItem] = target;

    /// <summary>Names the lead a call acts on when the route does not (an upsert names it in the body).</summary>
    public static void TargetLead(HttpContext context, string leadId) => Target(context, AuditTargets.Lead(Workspaces.Of(context), leadId));

    /// <summary>
    /// Names the leads a batch call acts on: the call gets an entry for each (same request id), so that the trail
    /// of any one lead shows it.
    /// </summary>
    public static void TargetLeads(HttpContext context, IEnumerable<string> leadIds)
    {
        var workspace = Workspaces.Of(context);
        context.Items[TargetItem] = leadIds.Select(id => AuditTargets.Lead(workspace, id)).ToList();
    }

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return http.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>() is { } audited
            && (!audited.OnlyWhenAdmin || http.User.IsInRole(Roles.Admin))
            ? InvokeAudited(context, next, audited)
            : next(context);
    }

    private async ValueTask<object?> InvokeAudited(EndpointFilterInvocationContext context, EndpointFilterDelegate next, AuditedAction audited)
    {
        var http = context.HttpContext;
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e)
        {
            await TryRecord(http, audited, ErrorHandling.IsUnavailable(e) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError);
            throw;
        }

        // A call refused for want of tokens (a batch charged per item) wrote nothing, like a call the rate limiter
        // refused on the way in; recording it would let a flood of refused batches write what the limit holds back.
        var status = StatusOf(result);
        if (status == StatusCodes.Status429TooManyRequests)
        {
            return result;
        }

        return await TryRecord(http, audited, status) ? result : AuditUnavailable(http);
    }

    /// <summary>Records a call to an audited endpoint that the caller's role may not make.</summary>
    public static async Task RecordDeniedAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>() is { } audited)
        {
            await http.RequestServices.GetRequiredService<AuditTrail>().TryRecord(http, audited, StatusCodes.Status403Forbidden);
        }
    }

    /// <summary>Records a browser session's start or end (not an /api call): the user's workspace, subject and role are the session's.</summary>
    public Task<bool> RecordSessionAsync(HttpContext http, string workspace, string subject, string role, string action, int status) =>
        TryRecord(http, (workspace, subject, role), new AuditedAction(action), status);

    private Task<bool> TryRecord(HttpContext http, AuditedAction audited, int status)
    {
        var caller = CallerPrincipal.Of(http);
        return TryRecord(http, (caller.Workspace, caller.Subject, caller.Role), audited, status);
    }

    private async Task<bool> TryRecord(HttpContext http, (string Workspace, string Subject, string Role) caller, AuditedAction audited, int status)
    {
        var at = clock.GetUtcNow();
        var requestId = Activity.Current?.TraceId.ToHexString() ?? http.TraceIdentifier;
        var clientAddress = http.Connection.RemoteIpAddress?.ToString();
        AuditEntry EntryFor(string? target) => new(
            at, caller.Workspace, caller.Subject, caller.Role, audited.Action, target, AuditEntry.OutcomeOf(status), status, requestId, clientAddress);
        try
        {
            if (http.Items[TargetItem] is List<string> { Count: > 0 } targets)
            {
                await Task.WhenAll(targets.Select(target => retry.CallAsync(http, () => log.RecordAsync(EntryFor(target)))));
            }
            else
            {
                var target = http.Items[TargetItem] as string ?? TargetFromRoute(http);
                await retry.CallAsync(http, () => log.RecordAsync(EntryFor(target)));
            }

            return true;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not write the audit entry for {Action} ({Status})", audited.Action, status);
            return false;
        }
    }

    private static string? TargetFromRoute(HttpContext http)
    {
        var route = http.Request.RouteValues;
        if (route.TryGetValue("leadId", out var leadId) && leadId is string lead)
        {
            return AuditTargets.Lead(Workspaces.Of(http), lead);
        }

        if (route.TryGetValue("version", out var version))
        {
            return $"model:{version}";
        }

        return route.TryGetValue("experimentId", out var experiment) ? $"experiment:{experiment}" : null;
    }

    private static int StatusOf(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
    }

    private static IResult AuditUnavailable(HttpContext http) => Problems.Unavailable(
        http,
        "The audit trail is unavailable",
        "The call was carried out but its audit entry could not be written, so it is not confirmed; retry it.");
}
