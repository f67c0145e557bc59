using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using System.Security.Cryptography;
using LeadScoring.Grains.PersonalData;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Grains.Leads;

/// <summary>Personal data: sealed at rest, opened when needed, exported and erased on request (GDPR rights).</summary>
public sealed partial class LeadGrain
{
    // What stands in for personal data no key of this installation opens: a reference of its own, so that no
    // lead spends a field on saying so (docs/performance.md, "Memory per lead").
    private static readonly LeadPersonalData Unreadable = LeadPersonalData.None with { };

    // The personal data in clear, opened from the sealed state the first time it is needed.
    private LeadPersonalData? _personal;

    /// <summary>
    /// The personal data in clear; none when this installation's keys do not open it (a lost data key, a backup
    /// restored beside another key), and then the lead still reads, scores and records without it.
    /// </summary>
    private LeadPersonalData Personal
    {
        get
        {
            if (_personal is null && State.Personal is { } sealedData)
            {
                try
                {
                    _personal = services.Protector.Open(sealedData, Workspace, LeadId);
                }
                catch (CryptographicException e)
                {
                    LogPersonalDataUnreadable(services.Logger, Workspace, LeadId, e.Message);
                    _personal = Unreadable;
                }
            }

            return _personal ?? LeadPersonalData.None;
        }
    }

    /// <summary>Why the lead's personal data cannot be read, or null when it can (or it has none).</summary>
    private string? PersonalDataUnreadable =>
        ReferenceEquals(Personal, Unreadable)
            ? $"the lead's personal data is sealed under key id {State.Personal!.KeyId}, which no key of this installation opens " +
              $"({PersonalDataProtector.KeyVariable} or {PersonalDataProtector.RetiredKeysVariable})"
            : null;

    /// <summary>
    /// An upsert may not change personal data that cannot be read: it would replace what the right key still
    /// opens. Each personal field it names is refused with the reason; the rest of the lead stays writable.
    /// </summary>
    private List<ValidationError> UnreadablePersonalDataErrors(LeadUpsert upsert)
    {
        if (PersonalDataUnreadable is not { } reason)
        {
            return [];
        }

        var fields = new[] { ("email", upsert.Email), ("name", upsert.Name), ("phone", upsert.Phone) }
            .Where(f => f.Item2 is not null).Select(f => f.Item1)
            .Concat(upsert.Attributes.Keys.Where(name => services.PersonalData.IsPersonal(Workspace, name)).Select(name => $"attributes.{name}"));
        return [.. fields.Select(field => new ValidationError(field, $"cannot be changed now: {reason}"))];
    }

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Lead {Workspace}/{LeadId}: its personal data cannot be opened ({Reason}); it is read and scored without it")]
    private static partial void LogPersonalDataUnreadable(ILogger logger, string workspace, string leadId, string reason);

    private void SealPersonal(LeadPersonalData personal)
    {
        State.Personal = personal.IsEmpty ? null : services.Protector.Seal(personal, Workspace, LeadId);
        _personal = personal;
    }
}
