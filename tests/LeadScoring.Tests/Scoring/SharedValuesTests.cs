using System.Globalization;
using LeadScoring.Grains.Leads;

namespace LeadScoring.Tests.Scoring;

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
}
