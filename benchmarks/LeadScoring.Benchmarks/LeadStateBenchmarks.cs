using BenchmarkDotNet.Attributes;
using LeadScoring.Grains.Features;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Simulation;
using LeadScoring.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace LeadScoring.Benchmarks;

/// <summary>
/// What writing a lead's state costs the silo before PostgreSQL sees it, for a lead with no, some and a full list
/// of recent activities (each with an activity id, so the state also remembers their hashes): Orleans' serializer
/// over the whole state, as every change wrote it while recent activities were part of it, against what a change
/// writes now that they are rows of their own (the state without them, and the new activity's row).
/// </summary>
[MemoryDiagnoser]
public class LeadStateBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private ServiceProvider _services = null!;
    private Serializer _serializer = null!;
    private LeadState _state = null!;
    private RecentActivity _newest;

    [Params(0, 25, 100)]
    public int RecentActivities { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        _serializer = _services.GetRequiredService<Serializer>();
        var lead = SyntheticCrm.Generate(50, seed: 5, Now).First(l => l.Activities.Count > 0);
        var options = new FeatureOptions();
        _state = new LeadState
        {
            Exists = true,
            ProfilingConsent = true,
            CreatedAt = Now.AddDays(-30),
            UpdatedAt = Now,
            Attributes = new LeadAttributes(lead.Attributes),
            Aggregates = new ActivityAggregates(),
            RecentActivities = [],
            SeenActivityIdHashes = [],
        };
        for (var i = 0; i < RecentActivities; i++)
        {
            var template = lead.Activities[i % lead.Activities.Count];
            var activity = template with { ActivityId = $"act-{i:D6}-{lead.LeadId}", OccurredAt = Now.AddMinutes(-i) };
            FeatureEngine.Apply(_state.Aggregates, activity, options, Now);
            _state.RecentActivities.Add(RecentActivity.Of(activity));
            _state.SeenActivityIdHashes.Add(ActivityIdHash.Of(activity.ActivityId!));
            _state.ActivityCount++;
        }

        _newest = RecentActivity.Of(lead.Activities[0] with { ActivityId = $"act-new-{lead.LeadId}", OccurredAt = Now });
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "whole state, recent activities included (before)")]
    public int WholeState() => _serializer.SerializeToArray(_state).Length;

    [Benchmark(Description = "state payload + the new activity's row (what a change writes)")]
    public int PayloadAndActivityRow() =>
        LeadStateStorage.Payload(_serializer, _state).Length + _serializer.SerializeToArray(_newest).Length;
}
