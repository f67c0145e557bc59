namespace LeadScoring.Grains.Webhooks;

/// <summary>What a webhook's sealed secret is bound to: it opens only as that webhook's.</summary>
public static class WebhookSecrets
{
    public static string Owner(string workspace, string webhookId) => $"webhook {workspace}/{webhookId}";
}
