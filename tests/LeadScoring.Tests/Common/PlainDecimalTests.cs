using System.Globalization;
using System.Text;
using LeadScoring.Common;

namespace LeadScoring.Tests.Common;

[Trait("Category", "Unit")]
public class PlainDecimalTests
{
    [Fact]
    public void Rounded_values_are_shownas_the_shortest_decimal_that_reads_back_as_them()
    {
        var random = new Random(7);
        Span<byte> text = stackalloc byte[24];
        for (var i = 0; i < 200_000; i++)
        {
            var places = i % 7;
            var magnitude = Math.Pow(10, random.Next(-3, 9));
            var value = Math.Round((random.NextDouble() - 0.3) * magnitude, places);

            Assert.True(PlainDecimal.TryFormat(value, text, out var written), $"{value:R}");
            var shown = Encoding.ASCII.GetString(text[..written]);
            Assert.Equal(value, double.Parse(shown, CultureInfo.InvariantCulture));
            // The general shortest round-trip text is the same number.
            Assert.Equal(decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture),
                decimal.Parse(shown, CultureInfo.InvariantCulture));
            Assert.DoesNotContain('E', shown);
            Assert.False(shown.Contains('.') && shown.EndsWith('0'), shown);
        }
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(73.4, "73.4")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(-123456789.123456, "-123456789.123456")]
    [InlineData(100.0, "100")]
    public void Examples(double value, string expected)
    {
        Span<byte> text = stackalloc byte[24];
        Assert.True(PlainDecimal.TryFormat(value, text, out var written));
        Assert.Equal(expected, Encoding.ASCII.GetString(text[..written]));
    }

    [Theory]
    [InlineData(1.0 / 3)]
    [InlineData(Math.PI)]
    [InlineData(0.0000001)]
    [InlineData(1e9)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Other_doubles_are_left_to_the_general_writer(double value)
    {
        Span<byte> text = stackalloc byte[24];
        Assert.False(PlainDecimal.TryFormat(value, text, out _));
    }
}
