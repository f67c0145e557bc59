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

    /// <summary>What ValidateOnStart does when the host starts.</summary>
    private static void ValidateAll(ServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();
}
