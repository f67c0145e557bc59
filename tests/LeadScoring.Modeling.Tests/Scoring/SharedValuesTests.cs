using System.Globalization;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Modeling.Tests.Scoring;

public class SharedValuesTests
{
    [Theory]
    [InlineData(3.0)]
    [InlineData(0.1)]
    [InlineData(-1234.56789)]
    [InlineData(1e-7)]
    [InlineData(double.NaN)]
    public void A_number_reads_as_its_round_trip_text_and_equal_numbers_share_one_instance(double number)
    {
        var first = SharedValues.Number(number);
        var again = SharedValues.Number(number);

        Assert.Equal(number.ToString("R", CultureInfo.InvariantCulture), first);
        Assert.Same(first, again);
    }

    [Fact]
    public void Negative_zero_reads_as_zero()
    {
        Assert.Equal("0", SharedValues.Number(-0.0));
        Assert.Same(SharedValues.Number(0.0), SharedValues.Number(-0.0));
    }

    [Fact]
    public void Equal_attribute_values_share_one_instance_except_negative_zero()
    {
        Assert.Same(SharedValues.Attribute(LeadAttributeValue.OfNumber(250)), SharedValues.Attribute(LeadAttributeValue.OfNumber(250)));
        Assert.Same(SharedValues.Attribute(LeadAttributeValue.OfBoolean(false)), SharedValues.Attribute(LeadAttributeValue.OfBoolean(false)));
        Assert.Same(SharedValues.Attribute(LeadAttributeValue.OfText("emea")), SharedValues.Attribute(LeadAttributeValue.OfText("emea")));
        Assert.NotEqual(SharedValues.Attribute(LeadAttributeValue.OfNumber(250)), SharedValues.Attribute(LeadAttributeValue.OfNumber(251)));
        Assert.True(SharedValues.Attribute(LeadAttributeValue.OfBoolean(true)).Boolean);

        SharedValues.Attribute(LeadAttributeValue.OfNumber(0.0));
        Assert.True(double.IsNegative(SharedValues.Attribute(LeadAttributeValue.OfNumber(-0.0)).Number));
        Assert.False(double.IsNegative(SharedValues.Attribute(LeadAttributeValue.OfNumber(0.0)).Number));
    }

    [Fact]
    public void Equal_recommendations_and_opportunity_lists_share_one_instance()
    {
        ScoreRecommendations Recommendations(params string[] content) =>
            new("Call the lead", "Tuesday 14:00 UTC", "email", [.. content]);

        var first = SharedValues.Recommendations(Recommendations("whitepaper", "pricing"));

        Assert.Same(first, SharedValues.Recommendations(Recommendations("whitepaper", "pricing")));
        Assert.NotSame(first, SharedValues.Recommendations(Recommendations("pricing", "whitepaper")));
        Assert.NotSame(first, SharedValues.Recommendations(Recommendations("whitepaper")));
        Assert.NotSame(first, SharedValues.Recommendations(first with { BestChannel = "phone" }));
        Assert.Same(SharedValues.TextList(["Offer a demo", "Ask"]), SharedValues.TextList(new List<string> { "Offer a demo", "Ask" }));
        Assert.NotSame(SharedValues.TextList(["Offer a demo", "Ask"]), SharedValues.TextList(["Ask", "Offer a demo"]));
        Assert.Empty(SharedValues.TextList([]));
    }
}
