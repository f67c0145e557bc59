using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Experiments;
using LeadScoring.Modeling.Statistics;

namespace LeadScoring.Modeling.Tests.Experiments;

public class ExperimentAssignmentTests
{
    private static readonly ExperimentDefinition HalfAndHalf = new(
        "exp-1", [new("control", 0.5, "v1"), new("algorithm_v3", 0.5, "v2")], "v2 ranks better", "conversion_rate", 0.1);

    [Fact]
    public void A_lead_always_gets_the_same_variant_and_the_split_fits_the_shares()
    {
        var leads = Enumerable.Range(0, 10_000).Select(i => $"lead-{i}").ToList();
        var first = leads.Select(l => ExperimentAssignment.VariantOf(HalfAndHalf, l).Name).ToList();
        var again = leads.Select(l => ExperimentAssignment.VariantOf(HalfAndHalf with { Hypothesis = "unchanged routing" }, l).Name).ToList();
        Assert.Equal(first, again);

        var counts = HalfAndHalf.Variants.Select(v => (long)first.Count(n => n == v.Name)).ToList();
        Assert.True(ExperimentStatistics.SampleRatio(counts, [0.5, 0.5]).PValue > ExperimentAnalysis.SampleRatioAlpha, string.Join("/", counts));

        var uneven = HalfAndHalf with { Variants = [new("control", 0.9, "v1"), new("algorithm_v3", 0.1, "v2")] };
        var unevenCounts = uneven.Variants.Select(v => (long)leads.Count(l => ExperimentAssignment.VariantOf(uneven, l).Name == v.Name)).ToList();
        Assert.True(ExperimentStatistics.SampleRatio(unevenCounts, [0.9, 0.1]).PValue > ExperimentAnalysis.SampleRatioAlpha, string.Join("/", unevenCounts));
    }

    [Fact]
    public void The_assignment_depends_on_the_experiment_so_experiments_are_independent()
    {
        var leads = Enumerable.Range(0, 2_000).Select(i => $"lead-{i}").ToList();
        var other = HalfAndHalf with { ExperimentId = "exp-2" };
        var same = leads.Count(l => ExperimentAssignment.VariantOf(HalfAndHalf, l).Name == ExperimentAssignment.VariantOf(other, l).Name);
        // Independent 50/50 assignments agree for about half the leads (binomial sd ≈ 22).
        Assert.InRange(same, 900, 1100);
    }

    [Fact]
    public void Points_are_fixed_by_the_algorithm_not_by_the_process()
    {
        // Computed independently (Python: int.from_bytes(sha256(b"exp-1\nlead-0").digest()[:8], "big") >> 11, / 2**53):
        // every silo, in every process, must find the same points.
        Assert.Equal(0.954690712949527, ExperimentAssignment.PointOf("exp-1", "lead-0"), 15);
        Assert.Equal(0.5036390885495211, ExperimentAssignment.PointOf("exp-1", "lead-1"), 15);
        Assert.Equal("algorithm_v3", ExperimentAssignment.VariantOf(HalfAndHalf, "lead-0").Name);
        Assert.Equal("algorithm_v3", ExperimentAssignment.VariantOf(HalfAndHalf, "lead-1").Name);
    }

    [Fact]
    public void Definitions_are_checked_with_the_field_named()
    {
        var errors = ExperimentRules.Validate(
            HalfAndHalf with { Variants = [new("control", 0.5, "v1"), new("b", 0.4, "v9")] }, v => v == "v1");
        Assert.Contains(errors, e => e.Field == "traffic_split" && e.Reason.Contains("sum to 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "variant_models.b");
        Assert.Empty(ExperimentRules.Validate(HalfAndHalf, _ => true));
    }
}
