using LeadScoring.Grains.Interfaces;
using LeadScoring.Web.Wording;

namespace LeadScoring.Web.Components.Scores;

/// <summary>One bar of the explanation's waterfall: a contribution from <see cref="From"/> to <see cref="To"/> in log-odds.</summary>
public sealed record WaterfallStep(string Label, double From, double To)
{
    public double Change => To - From;
}

/// <summary>
/// The explanation as a waterfall: the base value, the largest contributions one by one (the rest as one step),
/// and the output. Exact: the steps add up to the output, because base + Σ contributions = output.
/// </summary>
public sealed record WaterfallSteps(double Base, double Output, IReadOnlyList<WaterfallStep> Steps)
{
    public static WaterfallSteps Of(ScoreExplanation explanation, int largest)
    {
        var ordered = explanation.Contributions.OrderByDescending(c => Math.Abs(c.Contribution)).ThenBy(c => c.Feature, StringComparer.Ordinal).ToList();
        var steps = new List<WaterfallStep>();
        var running = explanation.BaseValue;
        foreach (var contribution in ordered.Take(largest))
        {
            steps.Add(new WaterfallStep(FeatureWording.Reason(contribution.Feature, contribution.Value), running, running + contribution.Contribution));
            running += contribution.Contribution;
        }

        var rest = ordered.Skip(largest).ToList();
        if (rest.Count > 0)
        {
            var sum = rest.Sum(c => c.Contribution);
            steps.Add(new WaterfallStep($"{rest.Count} other features", running, running + sum));
        }

        return new WaterfallSteps(explanation.BaseValue, explanation.OutputValue, steps);
    }

    /// <summary>The lowest and highest running value: the axis the bars are drawn on.</summary>
    public (double Min, double Max) Range
    {
        get
        {
            var values = Steps.SelectMany(s => new[] { s.From, s.To }).Append(Base).Append(Output).ToList();
            var (min, max) = (values.Min(), values.Max());
            return max - min < 1e-9 ? (min - 0.5, max + 0.5) : (min, max);
        }
    }

    /// <summary>Where a log-odds value sits on the axis, in percent of its width.</summary>
    public double PercentOf(double value)
    {
        var (min, max) = Range;
        return (value - min) / (max - min) * 100;
    }

    public static double Probability(double logOdds) => 1 / (1 + Math.Exp(-logOdds));
}
