using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Options;
using LeadScoring.Grains.Options;
using LeadScoring.Modeling.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadScoring.Tests.Options;

[Trait("Category", "Unit")]
public class OptionsValidationTests
{
    [Theory]
    [InlineData("LeadScoring:Scoring:ChampionRefresh", "00:00:00", "LeadScoring:Scoring:ChampionRefresh must be greater than zero")]
    [InlineData("LeadScoring:Scoring:Grades:B", "90", "LeadScoring:Scoring:Grades")]
    [InlineData("LeadScoring:Drift:Thresholds:Low", "0.5", "LeadScoring:Drift:Thresholds")]
    [InlineData("LeadScoring:Drift:MinimumObservations", "0", "LeadScoring:Drift:MinimumObservations must be greater than zero")]
    [InlineData("LeadScoring:Retraining:AucMargin", "-0.1", "LeadScoring:Retraining:AucMargin")]
    [InlineData("LeadScoring:Features:VisitGap", "-00:05:00", "LeadScoring:Features:VisitGap must be greater than zero")]
    public void A_bad_setting_is_refused_with_a_message_naming_it(string setting, string value, string message)
    {
        using var services = Services(new() { [setting] = value });

        var error = Assert.Throws<OptionsValidationException>(() => ValidateAll(services));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LeadScoring:Requests:MaxBodyBytes", "0", "LeadScoring:Requests:MaxBodyBytes must be between 1 and")]
    [InlineData("LEADSCORING_MAX_BODY_BYTES", "8192", "LEADSCORING_MAX_BODY_BYTES is now LeadScoring__Requests__MaxBodyBytes")]
    [InlineData("LeadScoring:RateLimits:PerWorkspace:Burst", "0", "LeadScoring:RateLimits:PerWorkspace:PerSecond and Burst must be greater than zero")]
    [InlineData("LeadScoring:ScoreResponseCache:Entries", "-1", "LeadScoring:ScoreResponseCache:Entries must be between 0 (off) and")]
    [InlineData("LeadScoring:UnavailableRetry:RetryFor", "00:05:00", "LeadScoring:UnavailableRetry:RetryFor must be between 00:00:00 (off) and 00:01:00")]
    [InlineData("LeadScoring:UnavailableRetry:MaxWaitingRequests", "-1", "LeadScoring:UnavailableRetry:MaxWaitingRequests must not be negative")]
    [InlineData("LeadScoring:Auth:Authority", "login.example.com", "LeadScoring:Auth:Authority must be an absolute URL")]
    [InlineData("LeadScoring:Auth:Authority", "https://login.example.com/", "LeadScoring:Auth:Audience is required")]
    [InlineData("LEADSCORING_JWT_KEY", "", "No authentication configured: set LEADSCORING_JWT_KEY")]
    [InlineData("LEADSCORING_JWT_KEY", "c2hvcnQ=", "LEADSCORING_JWT_KEY must hold at least 32 bytes; it holds 5")]
    public void A_bad_api_setting_is_refused_with_a_message_naming_it(string setting, string value, string message)
    {
        using var services = ApiServices(new() { [setting] = value });

        var error = Assert.Throws<OptionsValidationException>(() => ValidateAll(services));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_defaults_with_a_local_key_pass()
    {
        using var services = ApiServices([]);

        ValidateAll(services);

        Assert.Equal(1024 * 1024, services.GetRequiredService<RequestLimitOptions>().MaxBodyBytes);
        Assert.Equal(4_000, services.GetRequiredService<RateLimitOptions>().PerSubject.Burst);
    }

    [Fact]
    public void The_defaults_and_a_workspace_of_its_own_pass()
    {
        using var services = Services(new() { ["LeadScoring:Scoring:WorkspaceGrades:acme:A"] = "80" });

        ValidateAll(services);

        Assert.Equal(TimeSpan.FromMinutes(30), services.GetRequiredService<IOptions<FeatureOptions>>().Value.VisitGap);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLeadScoringOptions()
            .BuildServiceProvider();

    /// <summary>The API's sections, with a valid local signing key unless the case sets its own.</summary>
    private static ServiceProvider ApiServices(Dictionary<string, string?> settings)
    {
        settings.TryAdd(LocalTokens.KeyVariable, Convert.ToBase64String(new byte[32]));
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLeadScoringApiOptions()
            .BuildServiceProvider();
    }

    /// <summary>What ValidateOnStart does when the host starts.</summary>
    private static void ValidateAll(ServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();
}
