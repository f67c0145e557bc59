using System.Globalization;

namespace LeadScoring.Grains.Interfaces;

[GenerateSerializer, Alias("LeadScoring.LeadAttributeKind")]
public enum LeadAttributeKind
{
    Text = 0,
    Number = 1,
    Boolean = 2,
}

/// <summary>A lead attribute: a string, a finite number or a boolean.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadAttributeValue")]
public sealed record LeadAttributeValue(
    [property: Id(0)] LeadAttributeKind Kind,
    [property: Id(1)] string? Text,
    [property: Id(2)] double Number,
    [property: Id(3)] bool Boolean)
{
    public static LeadAttributeValue OfText(string text) => new(LeadAttributeKind.Text, text, 0, false);

    public static LeadAttributeValue OfNumber(double number) => new(LeadAttributeKind.Number, null, number, false);

    public static LeadAttributeValue OfBoolean(bool flag) => new(LeadAttributeKind.Boolean, null, 0, flag);

    public override string ToString() => Kind switch
    {
        LeadAttributeKind.Text => Text ?? "",
        LeadAttributeKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        _ => Boolean ? "true" : "false",
    };
}
