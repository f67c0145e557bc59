using BenchmarkDotNet.Attributes;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace LeadScoring.Benchmarks;

/// <summary>
/// What writing a lead's state costs the silo before PostgreSQL sees it, for a lead that has taken no, some and
/// many activities, each with an activity id (whose hash the lead remembers, up to 10,000 of them). Baseline:
/// the state as changes wrote it while every remembered id was part of it. Against it, what a change writes now
/// that the ids go to lead_activity_ids in chunks: the state with only the ids of the chunk being filled. Both
/// leave out the recent activities (rows of their own) and add the new activity's row.
/// </summary>
[MemoryDiagnoser]
public class LeadStateBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private ServiceProvider _services = null!;
    private Serializer _serializer = null!;
    private LeadState _everyId = null!;
    private LeadState _chunked = null!;
    private RecentActivity _newest;

    [Params(0, 25, 100, 1_000, 10_000)]
    public int ActivitiesTaken { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        _serializer = _services.GetRequiredService<Serializer>();
        var lead = SyntheticCrm.Generate(50, seed: 5, Now).First(l => l.Activities.Count > 0);
        _everyId = NewState(lead);
        _chunked = NewState(lead);
        var everyId = _everyId.SeenActivityIdHashes = [];
        var chunked = new RememberedActivityIds(_chunked, []);
        var options = new FeatureOptions();
        for (var i = 0; i < ActivitiesTaken; i++)
        {
            var template = lead.Activities[i % lead.Activities.Count];
            var activity = template with { ActivityId = $"act-{i:D6}-{lead.LeadId}", OccurredAt = Now.AddMinutes(-i) };
            foreach (var state in new[] { _everyId, _chunked })
            {
                FeatureEngine.Apply(state.Aggregates!, activity, options, Now);
                state.ActivityCount++;
            }

            everyId.Add(ActivityIdHash.Of(activity.ActivityId!));
            chunked.Add(ActivityIdHash.Of(activity.ActivityId!));
        }

        _newest = RecentActivity.Of(lead.Activities[0] with { ActivityId = $"act-new-{lead.LeadId}", OccurredAt = Now });
    }

    private static LeadState NewState(SimulatedLead lead) => new()
    {
        Exists = true,
        ProfilingConsent = true,
        CreatedAt = Now.AddDays(-30),
        UpdatedAt = Now,
        Attributes = new LeadAttributes(lead.Attributes),
        Aggregates = new ActivityAggregates(),
    };

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "state with every remembered id + the new activity's row (before)")]
    public int EveryIdInState() => Written(_everyId);

    [Benchmark(Description = "state with the ids of the chunk being filled + the new activity's row (what a change writes)")]
    public int FillingChunkInState() => Written(_chunked);

    private int Written(LeadState state) =>
        _serializer.SerializeToArray(state).Length + _serializer.SerializeToArray(_newest).Length;
}
