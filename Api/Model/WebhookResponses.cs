using System.Text.Json.Serialization;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

/// <summary>A webhook as the API shows it; <see cref="Secret"/> only in the answers that just made one (creation, rotation).</summary>
public sealed record WebhookResponse(
    string Id, string Url, IReadOnlyList<string> EventTypes, WebhookFilter? Filter, string? Description, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PreviousSecretExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null)
{
    public static WebhookResponse From(Webhook w, string? secret = null) =>
        new(w.Id, w.Url, w.EventTypes, w.Filter, w.Description, w.Enabled, w.DisabledReason, w.CreatedAt, w.UpdatedAt, w.PreviousSecretExpiresAt, secret);
}
