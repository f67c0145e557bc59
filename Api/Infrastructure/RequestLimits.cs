using System.Globalization;

namespace LeadScoring.Api.Infrastructure;

/// <summary>The largest request body accepted (LEADSCORING_MAX_BODY_BYTES, 1 MiB by default).</summary>
public sealed record RequestLimits(long MaxBodyBytes)
{
    public const string Variable = "LEADSCORING_MAX_BODY_BYTES";

    public static RequestLimits FromConfiguration(IConfiguration configuration) =>
        long.TryParse(configuration[Variable], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? new RequestLimits(bytes)
            : new RequestLimits(1024 * 1024);
}
