using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Experiments;

/// <summary>What an experiment definition must satisfy, with errors named by the API's JSON paths.</summary>
public static class ExperimentRules
{
    public const int MaxVariants = 10;
    public const double ShareTolerance = 1e-6;

    /// <param name="versionExists">Whether the workspace's registry holds a model version.</param>
    public static List<ValidationError> Validate(ExperimentDefinition experiment, Func<string, bool> versionExists)
    {
        var errors = new List<ValidationError>();
        if (!LeadKey.IsValidLeadId(experiment.ExperimentId))
        {
            errors.Add(new("experiment_id", LeadKey.LeadIdRule));
        }

        if (experiment.Variants.Count is < 2 or > MaxVariants)
        {
            errors.Add(new("variants", $"an experiment has 2 to {MaxVariants} variants"));
        }

        if (experiment.Variants.Select(v => v.Name).Distinct(StringComparer.Ordinal).Count() != experiment.Variants.Count)
        {
            errors.Add(new("variants", "variant names must be distinct"));
        }

        foreach (var variant in experiment.Variants)
        {
            if (variant.Share is not (> 0 and <= 1) || !double.IsFinite(variant.Share))
            {
                errors.Add(new($"traffic_split.{variant.Name}", "must be a share above 0 and at most 1"));
            }

            if (!versionExists(variant.ModelVersion))
            {
                errors.Add(new($"variant_models.{variant.Name}", $"model version '{variant.ModelVersion}' does not exist in this workspace"));
            }
        }

        if (Math.Abs(experiment.Variants.Sum(v => v.Share) - 1) > ShareTolerance)
        {
            errors.Add(new("traffic_split", "the shares must sum to 1"));
        }

        if (experiment.MinimumDetectableEffect is not (> 0 and <= 10) || !double.IsFinite(experiment.MinimumDetectableEffect))
        {
            errors.Add(new("minimum_detectable_effect", "must be a relative lift above 0 and at most 10 (0.1 = +10%)"));
        }

        if (experiment.PrimaryMetric != "conversion_rate")
        {
            errors.Add(new("primary_metric", "only 'conversion_rate' is supported"));
        }

        return errors;
    }
}
