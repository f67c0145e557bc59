using LeadScoring.Grains.Experiments;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.PersonalData;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// Everything a lead grain uses from the silo, as one singleton: injected one by one, a reference each would
/// cost every activation a field (docs/performance.md, "Memory per lead").
/// </summary>
public sealed class LeadGrainServices(
    ILeadStore store,
    IOptions<FeatureOptions> featureOptions,
    IOptions<ScoringOptions> scoringOptions,
    IOptions<PersonalDataOptions> personalDataOptions,
    PersonalDataProtector protector,
    ITrainingSnapshotStore snapshots,
    ModelCache models,
    ExperimentDirectory experimentDirectory,
    IExperimentStore experiments,
    IScoreHistoryStore scoreHistory,
    TimeProvider clock,
    ILogger<LeadGrain> logger)
{
    public ILeadStore Store { get; } = store;
    public FeatureOptions Features { get; } = featureOptions.Value;
    public ScoringOptions Scoring { get; } = scoringOptions.Value;
    public PersonalDataOptions PersonalData { get; } = personalDataOptions.Value;
    public PersonalDataProtector Protector { get; } = protector;
    public ITrainingSnapshotStore Snapshots { get; } = snapshots;
    public ModelCache Models { get; } = models;
    public ExperimentDirectory ExperimentDirectory { get; } = experimentDirectory;
    public IExperimentStore Experiments { get; } = experiments;
    public IScoreHistoryStore ScoreHistory { get; } = scoreHistory;
    public TimeProvider Clock { get; } = clock;
    public ILogger Logger { get; } = logger;
}
