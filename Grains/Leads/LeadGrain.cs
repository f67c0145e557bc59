using System.Diagnostics.CodeAnalysis;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// One lead: its attributes, consent, activity aggregates and outcome, held in memory while active and
/// persisted on every change before the caller is answered; and its latest score with the workspace's
/// champion, recomputed when the lead changes (before the change is acknowledged), when the champion
/// changes, or when time moves its time-based features into a new hour, and otherwise served as it is.
/// </summary>
/// <remarks>
/// Split by responsibility: commands and consent (LeadGrain.Commands.cs), activities and their ids
/// (.Activities.cs), scoring (.Scoring.cs), experiments (.Experiments.cs), personal data and erasure
/// (.PersonalData.cs), a row of an imported export (.Import.cs), and writing the state with what goes alongside it (.Persistence.cs).
/// </remarks>
public sealed partial class LeadGrain(LeadGrainServices services) : Grain, ILeadGrain, IWorkspaceScoped, IGrainState<LeadState>
{
    private static readonly IReadOnlyList<ValidationError> NoErrors = [];

    // Features of a lead that never acted; FeatureEngine.Apply only ever gets a lead's own aggregates.
    private static readonly ActivityAggregates NoActivity = new();

    // The grain is its own IGrainState: a persistent-state facet would add a lifecycle participant and a wrapper
    // to every activation, and leads never migrate (docs/performance.md, "Memory per lead").
    private LeadState _state = new();
    private string? _etag;
    private bool _recordExists;
    private (string Workspace, string Id)? _key;

    private LeadState State => _state;

    // Every store leaves a state instance behind a read or a clear (a fresh one when there is no record).
    [AllowNull]
    LeadState IGrainState<LeadState>.State { get => _state; set => _state = value ?? new LeadState(); }

    string? IGrainState<LeadState>.ETag { get => _etag; set => _etag = value; }

    bool IGrainState<LeadState>.RecordExists { get => _recordExists; set => _recordExists = value; }

    public string Workspace => Key.Workspace;

    private string LeadId => Key.Id;

    private (string Workspace, string Id) Key => _key ??= ParseKey(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An activation's failure goes back to the callers outside the call filters: translated here, it crosses.
        try
        {
            await services.Store.ReadAsync(this.GetGrainId(), this);
        }
        catch (Exception e) when (StorageFailureFilter.Translate(e) is { } translated)
        {
            throw translated;
        }

        // The stored attributes arrive as fresh strings and values: the shared instances replace them.
        State.Attributes.ShareValues();
        _activityRows = StoredRows.Counted(State.ActivityRows, LeadLimits.RecentActivities, LeadLimits.StoredRecentActivities);
        if (!_recordExists)
        {
            // A lead's history is only written with its state and erased before it: a lead never stored has none,
            // and a new lead (an import creates thousands at once) need not ask the store.
            _recentScores = new RecentScores([]);
        }
    }

    public async Task<LeadSnapshot?> GetSnapshot() =>
        State.Exists ? await Snapshot(services.Clock.GetUtcNow()) : null;

    private static (string Workspace, string Id) ParseKey(string key)
    {
        var (workspace, id) = WorkspaceKey.Parse(key);
        return (SharedValues.Text(workspace), id);
    }

    private IReadOnlyList<FeatureValue> Features(DateTimeOffset now) =>
        FeatureEngine.Compute(State.Aggregates ?? NoActivity, State.CreatedAt, now, services.Features);

    private async Task<LeadSnapshot> Snapshot(DateTimeOffset now)
    {
        var recent = await RecentActivities();
        var personal = Personal;
        return new LeadSnapshot(
            Workspace,
            LeadId,
            new Dictionary<string, LeadAttributeValue>(State.Attributes),
            personal.Email,
            personal.Name,
            new LeadConsent(State.ProfilingConsent, State.MarketingConsent),
            State.CreatedAt,
            State.UpdatedAt,
            State.ActivityCount,
            Features(now),
            [.. recent.Select(a => a.ToRecord())],
            State.Outcome,
            personal.Phone,
            new Dictionary<string, string>(personal.Attributes, StringComparer.Ordinal),
            PersonalDataUnreadable);
    }
}
