using BenchmarkDotNet.Attributes;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Simulation;

namespace LeadScoring.Benchmarks;

/// <summary>
/// What a lead grain computes when it must rescore (everything but Orleans and storage): its features from
/// its activity aggregates, then the whole score with dimensions, factors, insights and recommendations; the
/// same with the exact explanation that include_insights asks for; and what a change (an activity) computes
/// before it is acknowledged: the features and the score's headline, the rest waiting for the next read.
/// </summary>
[MemoryDiagnoser]
public class LeadScoreBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FeatureOptions _options = new();
    private ChampionModel _model = null!;
    private (SimulatedLead Lead, ActivityAggregates Aggregates, RecentActivity[] Recent, DateTimeOffset CreatedAt)[] _leads = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _model = ChampionModel.Load("v1", SimulatedHistory.Train("bench", 3000, seed: 1, Now, _options).Artifact);
        _leads = [.. SyntheticCrm.Generate(500, seed: 5, Now).Select(lead =>
        {
            var aggregates = new ActivityAggregates();
            foreach (var activity in lead.Activities)
            {
                FeatureEngine.Apply(aggregates, activity, _options, Now);
            }

            return (lead, aggregates, lead.Activities.Select(RecentActivity.Of).ToArray(), lead.Activities.Count > 0 ? lead.Activities[0].OccurredAt : Now);
        })];
    }

    [Benchmark(Description = "rescore one lead: features + score + insights")]
    public double Rescore() => Score(explain: false).ConversionProbability;

    [Benchmark(Description = "rescore one lead with the exact explanation")]
    public double RescoreWithExplanation() => Score(explain: true).Explanation!.OutputValue;

    [Benchmark(Description = "rescore one lead after a change: features + headline")]
    public double RescoreHeadline()
    {
        var input = NextLead();
        return LeadScorer.Headline(_model, input, _model.Encode(input.Attributes, input.Features), new GradeThresholds()).ConversionProbability;
    }

    private LeadScore Score(bool explain) => LeadScorer.Score(_model, NextLead(), new GradeThresholds(), explain);

    private LeadScoringInput NextLead()
    {
        var (lead, aggregates, recent, createdAt) = _leads[_next++ % _leads.Length];
        return new LeadScoringInput(lead.LeadId, lead.Attributes, FeatureEngine.Compute(aggregates, createdAt, Now, _options),
            recent, [], Now, ScoreTrigger.Activity);
    }
}
