using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Options;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Drift;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Options;

namespace LeadScoring.Grains.Drift;

/// <summary>
/// The workspace's drift watch: adds the silos' counts for the champion into the current window (a new window
/// starts when the champion changes, or when the silo holding this grain restarts), judges it against the
/// champion's training reference and persists an alert, with the evidence, each time the level rises.
/// </summary>
public sealed class DriftGrain(
    ModelCache models,
    IModelRegistry registry,
    IDriftAlertStore alerts,
    IEventOutbox outbox,
    IOptions<DriftOptions> options,
    TimeProvider clock) : Grain, IDriftGrain, IWorkspaceScoped
{
    private const int RecentAlerts = 10;

    private Window? _window;

    public string Workspace => this.GetPrimaryKeyString();

    public async Task Merge(DriftCounts counts)
    {
        if (await CurrentWindow() is not { } window || counts.ModelVersion != window.Accumulator.Counts.ModelVersion)
        {
            return; // counts of a model that is no longer (or not yet) the champion
        }

        // The window keeps only the most recent outcomes, apart from the counts (which only grow).
        var outcomes = counts.Outcomes;
        counts.Outcomes = [];
        window.Accumulator.Merge(counts);
        foreach (var outcome in outcomes)
        {
            window.Outcomes.Enqueue(outcome);
            if (window.Outcomes.Count > options.Value.OutcomeWindow)
            {
                window.Outcomes.Dequeue();
            }
        }

        var report = Analyze(window);
        if (report.Level > window.AlertedLevel)
        {
            window.AlertedLevel = report.Level;
            var alert = new DriftAlert(clock.GetUtcNow(), report.Level, report.ReferenceModelVersion, report.Reasons);
            await alerts.AddAsync(Workspace, alert, report);
            await outbox.AppendAsync([EventData.Event(EventTypes.DriftAlert, Workspace, alert.At, null, writer =>
            {
                writer.WriteString("level", alert.Level.ToString().ToLowerInvariant());
                writer.WriteString("model_version", alert.ModelVersion);
                writer.WriteStartArray("reasons");
                foreach (var reason in alert.Reasons)
                {
                    writer.WriteStringValue(reason);
                }

                writer.WriteEndArray();
            })]);
            if (report.Level == DriftLevel.High)
            {
                // Retraining runs elsewhere and decides for itself whether its challenger is any better.
                GrainFactory.GetGrain<IRetrainingGrain>(Workspace).Start($"high drift: {string.Join("; ", report.Reasons)}").Ignore();
            }
        }
    }

    public async Task<DriftReport?> GetReport()
    {
        if (await CurrentWindow() is not { } window)
        {
            return null;
        }

        var (total, recent) = await alerts.RecentAsync(Workspace, RecentAlerts);
        return Analyze(window) with { TotalAlerts = total, RecentAlerts = recent };
    }

    private DriftReport Analyze(Window window) => DriftAnalysis.Analyze(
        window.Reference, window.Performance, window.Accumulator.Counts, [.. window.Outcomes], window.Start, options.Value.MinimumObservations, options.Value.MinimumOutcomes,
        options.Value.ThresholdsOf(Workspace));

    /// <summary>The window of the current champion, starting a new one when the champion changed.</summary>
    private async Task<Window?> CurrentWindow()
    {
        if (await models.ChampionAsync(Workspace) is not { } champion)
        {
            return null;
        }

        if (_window?.Accumulator.Counts.ModelVersion != champion.Version)
        {
            var holdout = (await registry.GetAsync(Workspace, champion.Version))?.Version.Report.Holdout;
            _window = new Window(
                new DriftAccumulator(champion.Version, champion.Scoring.Artifact), champion.Scoring.Artifact,
                new ReferencePerformance(holdout?.Accuracy, holdout?.Auc), clock.GetUtcNow());
            // A workspace with a champion retrains periodically.
            _ = GrainFactory.GetGrain<IRetrainingGrain>(Workspace).EnsureScheduled();
        }

        return _window;
    }

    private sealed class Window(DriftAccumulator accumulator, ModelArtifact reference, ReferencePerformance performance, DateTimeOffset start)
    {
        public DriftAccumulator Accumulator { get; } = accumulator;

        public ModelArtifact Reference { get; } = reference;

        public ReferencePerformance Performance { get; } = performance;

        public DateTimeOffset Start { get; } = start;

        public Queue<LabelledScore> Outcomes { get; } = new();

        public DriftLevel AlertedLevel { get; set; }
    }
}
