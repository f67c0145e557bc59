using System.Globalization;

namespace LeadScoring.Grains.Options;

/// <summary>Webhook delivery (configuration section "LeadScoring:Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "LeadScoring:Webhooks";

    /// <summary>
    /// Whether endpoints may be on loopback, link-local, private or cloud-metadata addresses. Off, a webhook can
    /// never be made to reach into the network the silos run in (SSRF).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long an endpoint has to answer one delivery.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The waits before each retry of a failed delivery, comma-separated (the first attempt is immediate).</summary>
    public string RetrySchedule { get; set; } = "00:00:05,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00,1.00:00:00";

    /// <summary>An endpoint that has failed every delivery for this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Deliveries to one endpoint in flight at once.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>The waits of <see cref="RetrySchedule"/>; null when it does not parse.</summary>
    public IReadOnlyList<TimeSpan>? Retries()
    {
        var waits = new List<TimeSpan>();
        foreach (var wait in RetrySchedule.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TimeSpan.TryParse(wait, CultureInfo.InvariantCulture, out var parsed) || parsed < TimeSpan.Zero)
            {
                return null;
            }

            waits.Add(parsed);
        }

        return waits;
    }
}
