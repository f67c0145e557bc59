using System.Globalization;
using LeadScoring.Api.Audit;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Api.Apis;

public sealed record AuditEntryResponse(
    long Id, DateTimeOffset At, string Subject, string Role, string Action, string? Target, string Outcome, int Status,
    string RequestId, string? ClientAddress);

/// <param name="NextBefore">Pass as "before" for the next (older) page; null on the last page.</param>
public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Entries, long? NextBefore);

public sealed record AuditEnvelope(bool Success, AuditPageResponse Data);

public static class AuditApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/audit").WithTags("Audit");
        api.MapGet("/", ReadAudit).Describe("ReadAuditTrail", "Read the workspace's audit trail, newest first", 400).Authorized(Policies.Admin);
        return api;
    }

    /// <summary>
    /// The workspace's audit trail, newest first. Filters: from and to (ISO 8601; from inclusive, to exclusive),
    /// action, subject, lead_id (matched through its hash) or target; paging: limit (1-1000, default 100) and
    /// before (the next_before of the previous page).
    /// </summary>
    public static async Task<Results<Ok<AuditEnvelope>, ValidationProblem>> ReadAudit(
        HttpContext context, IAuditLog log, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var errors = new List<ValidationError>();
        var from = Time("from");
        var to = Time("to");
        var limit = Number("limit", 1, MaxPageSize) ?? DefaultPageSize;
        var before = Number("before", 1, long.MaxValue);
        var leadId = Text("lead_id");
        if (leadId is not null && !LeadKey.IsValidLeadId(leadId))
        {
            errors.Add(new ValidationError("lead_id", LeadKey.LeadIdRule));
        }

        var target = Text("target");
        if (leadId is not null && target is not null)
        {
            errors.Add(new ValidationError("target", "give either lead_id or target, not both"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var workspace = Workspaces.Of(context);
        var page = await log.ReadAsync(
            new AuditQuery(workspace, from, to, Text("action"), Text("subject"),
                leadId is null ? target : AuditTargets.Lead(workspace, leadId), before, (int)limit),
            cancellationToken);
        var entries = page.Select(e => new AuditEntryResponse(
            e.Id, e.Entry.At, e.Entry.Subject, e.Entry.Role, e.Entry.Action, e.Entry.Target, e.Entry.Outcome,
            e.Entry.Status, e.Entry.RequestId, e.Entry.ClientAddress)).ToList();
        return TypedResults.Ok(new AuditEnvelope(true, new AuditPageResponse(entries, entries.Count == limit ? entries[^1].Id : null)));

        string? Text(string name) => query[name] is [{ Length: > 0 } value] ? value : null;

        DateTimeOffset? Time(string name)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }

            errors.Add(new ValidationError(name, "must be an ISO 8601 time, such as 2026-11-23T10:00:00Z"));
            return null;
        }

        long? Number(string name, long min, long max)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            errors.Add(new ValidationError(name, $"must be a whole number from {min} to {max}"));
            return null;
        }
    }
}
