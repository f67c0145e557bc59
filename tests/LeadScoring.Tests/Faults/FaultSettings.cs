namespace LeadScoring.Tests.Faults;

public static class FaultSettings
{
    /// <summary>An API environment whose rate limits a fault test's load and its checks never reach.</summary>
    public static readonly IReadOnlyDictionary<string, string> Unlimited = new Dictionary<string, string>
    {
        ["LeadScoring__RateLimits__PerSubject__PerSecond"] = "1000000",
        ["LeadScoring__RateLimits__PerSubject__Burst"] = "1000000",
        ["LeadScoring__RateLimits__PerWorkspace__PerSecond"] = "1000000",
        ["LeadScoring__RateLimits__PerWorkspace__Burst"] = "1000000",
    };

    /// <summary><see cref="Unlimited"/>, and the API answers 503 at the first failure instead of retrying.</summary>
    public static readonly IReadOnlyDictionary<string, string> UnlimitedWithoutRetries =
        new Dictionary<string, string>(Unlimited) { ["LeadScoring__UnavailableRetry__RetryFor"] = "00:00:00" };

    /// <summary>The API environment a fault test's case names: "retrying" (the defaults) or "not retrying".</summary>
    public static IReadOnlyDictionary<string, string> For(string retries) => retries == "retrying" ? Unlimited : UnlimitedWithoutRetries;
}
