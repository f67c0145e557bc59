using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.PersonalData;

namespace LeadScoring.Grains.Leads;

/// <summary>Personal data: sealed at rest, opened when needed, exported and erased on request (GDPR rights).</summary>
public sealed partial class LeadGrain
{
    // The personal data in clear, opened from the sealed state the first time it is needed.
    private LeadPersonalData? _personal;

    private LeadPersonalData Personal =>
        _personal ??= State.Personal is { } sealedData ? services.Protector.Open(sealedData, Workspace, LeadId) : LeadPersonalData.None;

    public async Task<LeadExport?> Export()
    {
        if (!State.Exists)
        {
            return null;
        }

        var now = services.Clock.GetUtcNow();
        // Everything held about the lead, the entries awaiting their trim included.
        return new LeadExport(await Snapshot(now), [.. await services.ScoreHistory.ListAsync(Workspace, LeadId, LeadLimits.StoredScoreHistory)], now);
    }

    public async Task<bool> Erase()
    {
        if (!State.Exists)
        {
            return false;
        }

        // History and snapshot first: if the state delete then fails, the lead still exists and the erasure is
        // retried as a whole; the other way round a failure would leave rows of a lead that no longer exists.
        await Task.WhenAll(
            services.ScoreHistory.DeleteAsync(Workspace, LeadId), services.Snapshots.DeleteAsync(Workspace, LeadId), services.Experiments.DeleteLeadAsync(Workspace, LeadId));
        try
        {
            await services.Store.ClearAsync(this.GetGrainId(), this, LeadEvents.Erased(Workspace, LeadId, services.Clock.GetUtcNow()));
            _state = new LeadState();
        }
        finally
        {
            // Nothing of the lead stays in this activation's memory either.
            DeactivateOnIdle();
        }

        _personal = null;
        _score = null;
        _recentScores = null;
        _rememberedIds = null;
        _unstoredActivities = null;
        _activityRows = NoActivityRows;
        _exposedIn = null;
        return true;
    }

    private void SealPersonal(LeadPersonalData personal)
    {
        State.Personal = personal.IsEmpty ? null : services.Protector.Seal(personal, Workspace, LeadId);
        _personal = personal;
    }
}
