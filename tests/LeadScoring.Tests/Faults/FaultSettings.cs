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
}
