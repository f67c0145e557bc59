using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Tests.Scoring;

public class ScoreFactorTests
{
    [Theory]
    [InlineData("3", "3")]
    [InlineData("-12", "-12")]
    [InlineData("0.25", "0.25")]
    [InlineData("0.123456", "0.12")]
    [InlineData("1234.5678", "1234.57")]
    [InlineData("-0.126", "-0.13")]
    [InlineData("1E+20", "100000000000000000000")]
    [InlineData("007", "7")]
    [InlineData("software", "software")]
    [InlineData("Infinity", "Infinity")]
    [InlineData("", "unknown")]
    [InlineData(null, "unknown")]
    public void Describes_numbers_to_two_decimals_and_other_values_as_they_are(string? value, string shown)
    {
        Assert.Equal($"visits = {shown} raises the conversion odds", new ScoreFactor("visits", value, 0.2, FeatureDimension.Behavioral).Description);
        Assert.Equal($"visits = {shown} lowers the conversion odds", new ScoreFactor("visits", value, -0.2, FeatureDimension.Behavioral).Description);
    }
}
