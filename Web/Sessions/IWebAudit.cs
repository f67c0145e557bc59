namespace LeadScoring.Web.Sessions;

/// <summary>
/// The audit trail as the web app writes to it: an admin action taken on a page is recorded as the same action
/// through the API would be (same names, same table). The API's process provides it.
/// </summary>
public interface IWebAudit
{
    /// <summary>Completes once the entry is durable; the page says the action was done only after that.</summary>
    /// <param name="status">The HTTP status the same call through the API would have answered.</param>
    Task RecordAsync(SignedInUser user, string action, string? target, int status);
}
