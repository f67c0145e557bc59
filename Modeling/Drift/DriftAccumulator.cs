using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Statistics;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Drift;

/// <summary>Builds a lead's <see cref="DriftSample"/>.</summary>
public static class DriftSamples
{
    /// <summary>The values the model scored the lead on, taken the way its training reference was (encoded numbers, trimmed categories).</summary>
    /// <param name="encoded">The lead as the model encoded it for the score.</param>
    public static DriftSample Of(
        ChampionModel model, EncodedLead encoded, IReadOnlyDictionary<string, LeadAttributeValue> attributes, IReadOnlyList<FeatureValue> features, double probability)
    {
        var references = model.Scoring.Artifact.References;
        var referenceColumns = model.ReferenceColumns;
        var numbers = new double[references.Count];
        var categories = new string?[references.Count];
        for (var r = 0; r < references.Count; r++)
        {
            var c = referenceColumns[r];
            numbers[r] = double.NaN;
            if (c < 0)
            {
                continue;
            }

            if (references[r].BinEdges is not null)
            {
                numbers[r] = encoded.Vector[model.ColumnOffsets[c]];
            }
            else
            {
                var cell = model.CellOf(c, attributes, features);
                categories[r] = MissingValues.IsMissing(cell) ? ColumnEncoding.Missing : cell!.Trim();
            }
        }

        return new DriftSample(model.Version, numbers, categories, probability);
    }
}

/// <summary>Counts drift samples on a model version's reference bins, and adds up counts from elsewhere.</summary>
public sealed class DriftAccumulator
{
    private readonly ModelArtifact _artifact;

    public DriftAccumulator(string modelVersion, ModelArtifact artifact)
    {
        _artifact = artifact;
        Counts = Empty(modelVersion, artifact);
    }

    public DriftCounts Counts { get; private set; }

    public bool IsEmpty => Counts.Observations == 0 && Counts.Outcomes.Count == 0;

    public static DriftCounts Empty(string modelVersion, ModelArtifact artifact) => new()
    {
        ModelVersion = modelVersion,
        Bins = [.. artifact.References.Select(r => r.BinEdges is { } edges ? new long[edges.Length + 1] : null)],
        Categories = [.. artifact.References.Select(r => r.BinEdges is null ? new Dictionary<string, long>(StringComparer.Ordinal) : null)],
        ScoreBins = new long[artifact.ScoreHistogram.Length],
    };

    public void Add(DriftSample sample)
    {
        var references = _artifact.References;
        for (var r = 0; r < references.Count; r++)
        {
            if (references[r].BinEdges is { } edges)
            {
                if (!double.IsNaN(sample.Numbers[r]))
                {
                    Counts.Bins[r]![QuantileBins.BinOf(edges, sample.Numbers[r])]++;
                }
            }
            else if (sample.Categories[r] is { } category)
            {
                var categories = Counts.Categories[r]!;
                categories[category] = categories.GetValueOrDefault(category) + 1;
            }
        }

        var scoreBins = Counts.ScoreBins;
        scoreBins[Math.Clamp((int)(sample.Probability * scoreBins.Length), 0, scoreBins.Length - 1)]++;
        Counts.Observations++;
        Counts.ExpectedCorrect += DriftStatistics.ExpectedCorrectness(sample.Probability, _artifact.Threshold);
    }

    public void AddOutcome(LabelledScore outcome) => Counts.Outcomes.Add(outcome);

    /// <summary>Adds counts of the same model version (from a pre-aggregator).</summary>
    public void Merge(DriftCounts other)
    {
        for (var r = 0; r < Counts.Bins.Count; r++)
        {
            if (Counts.Bins[r] is { } bins && other.Bins[r] is { } more)
            {
                for (var b = 0; b < bins.Length; b++)
                {
                    bins[b] += more[b];
                }
            }

            if (Counts.Categories[r] is { } categories && other.Categories[r] is { } moreCategories)
            {
                foreach (var (category, count) in moreCategories)
                {
                    categories[category] = categories.GetValueOrDefault(category) + count;
                }
            }
        }

        for (var b = 0; b < Counts.ScoreBins.Length; b++)
        {
            Counts.ScoreBins[b] += other.ScoreBins[b];
        }

        Counts.Observations += other.Observations;
        Counts.ExpectedCorrect += other.ExpectedCorrect;
        Counts.Outcomes.AddRange(other.Outcomes);
    }

    /// <summary>Hands over what was counted and starts again from zero.</summary>
    public DriftCounts Take()
    {
        var taken = Counts;
        Counts = Empty(taken.ModelVersion, _artifact);
        return taken;
    }
}
