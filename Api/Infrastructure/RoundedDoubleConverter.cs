using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScoring.Common;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Writes a double that holds a decimal of at most six places (every figure of a score is rounded so) as that
/// decimal (<see cref="PlainDecimal"/>), without the general shortest-round-trip search, which was the largest single cost of writing score
/// responses (docs/performance.md, "Figures behind the code"). Any other double is written the general way.
/// </summary>
public sealed class RoundedDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[24];
        if (PlainDecimal.TryFormat(value, text, out var written))
        {
            writer.WriteRawValue(text[..written], skipInputValidation: true);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}
