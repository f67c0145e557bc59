using System.Diagnostics;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

public class ChildEnvironmentTests
{
    [Fact]
    public void A_process_a_test_starts_gets_the_variables_the_test_means_and_of_the_runner_s_only_what_dotnet_needs()
    {
        // ProcessStartInfo starts from the runner's environment: these stand for what a developer's shell exports.
        var start = new ProcessStartInfo("dotnet");
        start.Environment["LEADSCORING_POSTGRES"] = "Host=the-developer-s-database";
        start.Environment["LeadScoring__RateLimits__PerSubject__Burst"] = "1";
        start.Environment["PATH"] = "/usr/bin";

        ChildEnvironment.Apply(start, new Dictionary<string, string> { ["LEADSCORING_SILO_PORT"] = "20001" });

        Assert.False(start.Environment.ContainsKey("LEADSCORING_POSTGRES"));
        Assert.False(start.Environment.ContainsKey("LeadScoring__RateLimits__PerSubject__Burst"));
        Assert.Equal("/usr/bin", start.Environment["PATH"]);
        Assert.Equal("20001", start.Environment["LEADSCORING_SILO_PORT"]);
    }
}
