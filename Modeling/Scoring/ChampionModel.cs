using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Scoring;

/// <summary>A lead's feature vector and which of the model's columns it has no value for.</summary>
public sealed record EncodedLead(float[] Vector, bool[] Missing);

/// <summary>
/// A registered model version loaded for live scoring: the ensemble, the optional deal-size and
/// time-to-close regressions, and how a lead's attributes and activity features fill the model's columns.
/// </summary>
public sealed class ChampionModel
{
    // Per column: its position among the activity features (FeatureCatalog.All), or -1 for a lead attribute.
    private readonly int[] _activityFeatureIndex;
    private readonly Dictionary<string, int> _columnIndex;

    public ChampionModel(string version, ModelArtifact artifact, CompiledTrees? dealSize, CompiledTrees? daysToClose)
    {
        Version = version;
        Scoring = new ScoringModel(artifact);
        DealSize = dealSize;
        DaysToClose = daysToClose;
        Columns = Scoring.Encoder.Columns;
        // A column named like an activity feature, or mapped to one by the training schema, is filled from the lead's
        // activity (as in training from history); every other column from the attribute of its name.
        _activityFeatureIndex = [.. Columns.Select(c => FeatureCatalog.IndexOf(c.LiveFeature ?? c.Column))];
        ColumnOffsets = new int[Columns.Count];
        for (int c = 0, offset = 0; c < Columns.Count; offset += Columns[c].Width, c++)
        {
            ColumnOffsets[c] = offset;
        }

        Dimensions = [.. Columns.Select(c => c.Dimension).Distinct()];
        _columnIndex = Columns.Select((column, index) => (column.Column, index)).ToDictionary(c => c.Column, c => c.index, StringComparer.Ordinal);
        ReferenceColumns = [.. artifact.References.Select(r => _columnIndex.GetValueOrDefault(r.Column, -1))];
    }

    public string Version { get; }

    public ScoringModel Scoring { get; }

    public CompiledTrees? DealSize { get; }

    public CompiledTrees? DaysToClose { get; }

    public IReadOnlyList<ColumnEncoding> Columns { get; }

    /// <summary>The position of the named column among <see cref="Columns"/>, or -1.</summary>
    public int IndexOfColumn(string column) => _columnIndex.GetValueOrDefault(column, -1);

    /// <summary>Where each column's slots start in the feature vector.</summary>
    public int[] ColumnOffsets { get; }

    /// <summary>Per drift reference of the artifact: the position of its column among <see cref="Columns"/>, or -1.</summary>
    public int[] ReferenceColumns { get; }

    /// <summary>The dimensions at least one of the model's columns belongs to.</summary>
    public IReadOnlyList<FeatureDimension> Dimensions { get; }

    /// <summary>
    /// The lead's feature vector, as training saw it: each column filled from the activity feature of that name
    /// (or the one the schema mapped it to), else from the attribute of that name (numbers written directly,
    /// everything else as text).
    /// </summary>
    public EncodedLead Encode(IReadOnlyDictionary<string, LeadAttributeValue> attributes, IReadOnlyList<FeatureValue> features)
    {
        var vector = new float[Scoring.Encoder.Width];
        var missing = new bool[Columns.Count];
        for (var c = 0; c < Columns.Count; c++)
        {
            var column = Columns[c];
            var slots = vector.AsSpan(ColumnOffsets[c]);
            if (ActivityFeature(c, features) is { } feature)
            {
                missing[c] = feature.Number is null && feature.Category is null;
                if (column.Kind == ColumnKind.Numeric && feature.Category is null)
                {
                    column.WriteNumber(feature.Number, slots);
                }
                else
                {
                    column.Write(Text(feature), slots);
                }
            }
            else
            {
                var text = attributes.TryGetValue(column.Column, out var value) ? Text(value) : null;
                missing[c] = MissingValues.IsMissing(text);
                column.Write(text, slots);
            }
        }

        return new EncodedLead(vector, missing);
    }

    /// <summary>Column <paramref name="c"/>'s value for the lead as text (for factors and explanations).</summary>
    public string? CellOf(int c, IReadOnlyDictionary<string, LeadAttributeValue> attributes, IReadOnlyList<FeatureValue> features) =>
        ActivityFeature(c, features) is { } feature ? Text(feature)
        : attributes.TryGetValue(Columns[c].Column, out var value) ? Text(value)
        : null;

    private FeatureValue? ActivityFeature(int c, IReadOnlyList<FeatureValue> features)
    {
        var index = _activityFeatureIndex[c];
        return index >= 0 && index < features.Count && features[index].Name == (Columns[c].LiveFeature ?? Columns[c].Column) ? features[index] : null;
    }

    // Shared texts: a lead keeps these in its cached score's factors.
    private static string? Text(FeatureValue feature) => feature.Number is { } number ? SharedValues.Number(number) : feature.Category;

    private static string Text(LeadAttributeValue value) => value.Kind == LeadAttributeKind.Number ? SharedValues.Number(value.Number) : value.ToString();

    /// <summary>Sums per-slot values into per-column values.</summary>
    public double[] PerColumn(ReadOnlySpan<double> slots)
    {
        var columns = new double[Columns.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = Sum(slots.Slice(ColumnOffsets[c], Columns[c].Width));
        }

        return columns;

        static double Sum(ReadOnlySpan<double> values)
        {
            var total = 0.0;
            foreach (var value in values)
            {
                total += value;
            }

            return total;
        }
    }

    /// <summary>Loads a registry artifact: the regressions' trees are read out of their ML.NET models once here.</summary>
    public static ChampionModel Load(string version, ModelArtifact artifact)
    {
        CompiledTrees? Regression(byte[]? bytes) =>
            bytes is null ? null : new CompiledTrees(MlNetTrees.Extract(new BaseModels(0).Load(bytes), []));
        return new ChampionModel(version, artifact, Regression(artifact.DealSize), Regression(artifact.TimeToClose));
    }
}
