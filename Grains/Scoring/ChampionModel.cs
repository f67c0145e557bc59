using System.Collections.Frozen;
using System.Globalization;
using LeadScoring.Grains.Features;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Training;

namespace LeadScoring.Grains.Scoring;

/// <summary>
/// A registered model version loaded for live scoring: the ensemble, the optional deal-size and
/// time-to-close regressions, and how a lead's attributes and activity features fill the model's columns.
/// </summary>
public sealed class ChampionModel
{
    private readonly FrozenDictionary<string, int> _activityFeatureIndex;

    public ChampionModel(string version, ModelArtifact artifact, CompiledTrees? dealSize, CompiledTrees? daysToClose)
    {
        Version = version;
        Scoring = new ScoringModel(artifact);
        DealSize = dealSize;
        DaysToClose = daysToClose;
        // A column named like an activity feature is filled from the lead's activity (as in training from history).
        _activityFeatureIndex = FeatureCatalog.All
            .Select((definition, index) => (definition.Name, index))
            .ToFrozenDictionary(p => p.Name, p => p.index, StringComparer.Ordinal);
        Columns = Scoring.Encoder.Columns;
        ColumnOffsets = new int[Columns.Count];
        for (int c = 0, offset = 0; c < Columns.Count; offset += Columns[c].Width, c++)
        {
            ColumnOffsets[c] = offset;
        }

        Dimensions = [.. Columns.Select(c => c.Dimension).Distinct()];
    }

    public string Version { get; }

    public ScoringModel Scoring { get; }

    public CompiledTrees? DealSize { get; }

    public CompiledTrees? DaysToClose { get; }

    public IReadOnlyList<ColumnEncoding> Columns { get; }

    /// <summary>Where each column's slots start in the feature vector.</summary>
    public int[] ColumnOffsets { get; }

    /// <summary>The dimensions at least one of the model's columns belongs to.</summary>
    public IReadOnlyList<FeatureDimension> Dimensions { get; }

    /// <summary>
    /// The lead's cell for each model column, as training saw it: activity features (listed in
    /// <see cref="FeatureCatalog.All"/> order, as <see cref="FeatureEngine.Compute"/> returns them) or attributes.
    /// </summary>
    public string?[] Cells(IReadOnlyDictionary<string, LeadAttributeValue> attributes, IReadOnlyList<FeatureValue> features)
    {
        var cells = new string?[Columns.Count];
        for (var c = 0; c < cells.Length; c++)
        {
            var name = Columns[c].Column;
            if (_activityFeatureIndex.TryGetValue(name, out var index) && index < features.Count && features[index].Name == name)
            {
                var feature = features[index];
                cells[c] = feature.Number?.ToString("R", CultureInfo.InvariantCulture) ?? feature.Category;
            }
            else
            {
                cells[c] = attributes.TryGetValue(name, out var value) ? value.ToString() : null;
            }
        }

        return cells;
    }

    public float[] Encode(string?[] cells)
    {
        var vector = new float[Scoring.Encoder.Width];
        for (var c = 0; c < cells.Length; c++)
        {
            Columns[c].Write(cells[c], vector.AsSpan(ColumnOffsets[c]));
        }

        return vector;
    }

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
