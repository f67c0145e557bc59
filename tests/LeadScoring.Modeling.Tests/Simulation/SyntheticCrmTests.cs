using System.Text.Json;
using LeadScoring.Modeling.Simulation;

namespace LeadScoring.Modeling.Tests.Simulation;

public class SyntheticCrmTests
{
    private static readonly DateTimeOffset Origin = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_seed_generates_the_same_crm()
    {
        var first = JsonSerializer.Serialize(SyntheticCrm.Generate(200, 7, Origin).ToList());
        var second = JsonSerializer.Serialize(SyntheticCrm.Generate(200, 7, Origin).ToList());
        var otherSeed = JsonSerializer.Serialize(SyntheticCrm.Generate(200, 8, Origin).ToList());

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void Outcomes_follow_the_hidden_propensity()
    {
        var leads = SyntheticCrm.Generate(3000, 11, Origin).ToList();
        var closed = leads.Where(l => l.Outcome is not null).ToList();
        var won = closed.Where(l => l.Outcome!.Converted).ToList();
        var lost = closed.Where(l => !l.Outcome!.Converted).ToList();
        var rate = (double)won.Count / closed.Count;

        Assert.InRange(rate, 0.15, 0.6);
        Assert.True(won.Average(l => l.Propensity) > lost.Average(l => l.Propensity) + 0.1);
        Assert.True(won.Average(l => l.Activities.Count) > lost.Average(l => l.Activities.Count));
        Assert.All(leads, l => Assert.All(l.Activities, a => Assert.True(a.OccurredAt <= Origin)));
        Assert.All(won, l => Assert.True(l.Outcome!.DealValue > 0));
    }
}
