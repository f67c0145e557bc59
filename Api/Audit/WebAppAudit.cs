using LeadScoring.Web.Sessions;

namespace LeadScoring.Api.Audit;

/// <summary>The web app's admin actions into the API's audit log: no request id or client address, a circuit has neither.</summary>
public sealed class WebAppAudit(IAuditLog log, TimeProvider clock) : IWebAudit
{
    public Task RecordAsync(SignedInUser user, string action, string? target, int status) => log.RecordAsync(new AuditEntry(
        clock.GetUtcNow(), user.Workspace, user.Subject, user.Role, action, target, AuditEntry.OutcomeOf(status), status, RequestId: "web-app", ClientAddress: null));
}
