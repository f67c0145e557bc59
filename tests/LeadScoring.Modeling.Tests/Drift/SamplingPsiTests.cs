using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Drift;
using LeadScoring.Modeling.Statistics;

namespace LeadScoring.Modeling.Tests.Drift;

public class SamplingPsiTests
{
    private static readonly double[] Uniform = [.. Enumerable.Repeat(0.1, 10)];

    [Fact]
    public void Windows_drawn_from_the_reference_itself_reach_a_low_psi_by_chance_but_not_once_the_sampling_psi_is_taken_off()
    {
        var random = new Random(5);
        var rawLow = 0;
        var judgedLow = 0;
        for (var trial = 0; trial < 2_000; trial++)
        {
            var counts = Draw(random, Uniform, 200);
            var psi = DriftStatistics.Psi(Uniform, counts);
            rawLow += psi >= 0.1 ? 1 : 0;
            judgedLow += psi - DriftAnalysis.SamplingPsi(Uniform.Length, 200) >= 0.1 ? 1 : 0;
        }

        Assert.True(rawLow > 0, "no window reached a PSI of 0.1 by chance: the test does not exercise the correction");
        Assert.Equal(0, judgedLow);
    }

    [Fact]
    public void A_real_shift_is_still_called_once_there_are_enough_observations()
    {
        // Most of the mass of the first five bins moved to the last five: PSI about 0.9.
        double[] shifted = [.. Enumerable.Range(0, 10).Select(i => i < 5 ? 0.02 : 0.18)];
        var counts = Draw(new Random(6), shifted, 800);
        var psi = DriftStatistics.Psi(Uniform, counts);

        Assert.Equal(DriftLevel.High, DriftAnalysis.LevelOf(psi - DriftAnalysis.SamplingPsi(Uniform.Length, 800), new DriftThresholds()));
    }

    private static long[] Draw(Random random, IReadOnlyList<double> shares, int n)
    {
        var counts = new long[shares.Count];
        for (var i = 0; i < n; i++)
        {
            var u = random.NextDouble();
            var bin = 0;
            while (bin < shares.Count - 1 && (u -= shares[bin]) > 0)
            {
                bin++;
            }

            counts[bin]++;
        }

        return counts;
    }
}
