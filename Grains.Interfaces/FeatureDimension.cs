namespace LeadScoring.Grains.Interfaces;

/// <summary>The six scoring dimensions every feature belongs to. Values are persisted: append only.</summary>
[GenerateSerializer, Alias("LeadScoring.FeatureDimension")]
public enum FeatureDimension
{
    Behavioral = 0,
    Engagement = 1,
    Demographic = 2,
    Temporal = 3,
    Interaction = 4,
    Quality = 5,
}

/// <summary>One named feature of a lead with its value at the time it was read.</summary>
/// <remarks>Numeric features carry <see cref="Number"/>; categorical ones carry <see cref="Category"/>.</remarks>
[GenerateSerializer, Immutable, Alias("LeadScoring.FeatureValue")]
public sealed record FeatureValue(
    [property: Id(0)] string Name,
    [property: Id(1)] FeatureDimension Dimension,
    [property: Id(2)] double? Number,
    [property: Id(3)] string? Category);
