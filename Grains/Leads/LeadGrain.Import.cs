using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Grains.Leads;

/// <summary>A row of an imported export: attributes and outcome in one write, and none when nothing changed.</summary>
public sealed partial class LeadGrain
{
    private static readonly LeadImportResult Unchanged = new(LeadImportStatus.Unchanged, NoErrors);

    public async Task<LeadImportResult> Import(LeadUpsert upsert, OutcomeRecord? outcome)
    {
        var now = services.Clock.GetUtcNow();
        var errors = LeadValidator.ValidateUpsert(upsert, State.Attributes);
        errors.AddRange(UnreadablePersonalDataErrors(upsert));
        if (outcome is not null)
        {
            errors.AddRange(LeadValidator.ValidateOutcome(outcome, now));
        }

        if (errors.Count > 0)
        {
            return new LeadImportResult(LeadImportStatus.Invalid, errors);
        }

        var newOutcome = outcome is not null && !Holds(outcome);
        if (State.Exists && !newOutcome && Holds(upsert))
        {
            return Unchanged;
        }

        var (created, withdrawn) = Apply(upsert, now);
        if (newOutcome)
        {
            TakeOutcome(outcome!, now);
        }

        // An imported outcome is history: it is training data, not a measure of the model that scores the lead now.
        await PersistRescored(ScoreTrigger.Attributes, now);
        await ForgetTrainingSnapshotIf(withdrawn);
        if (newOutcome && !created)
        {
            await services.Experiments.RecordOutcomeAsync(Workspace, LeadId, outcome!.Converted, outcome.DealValue);
        }

        return new LeadImportResult(created ? LeadImportStatus.Created : LeadImportStatus.Updated, NoErrors);
    }

    /// <summary>Whether applying the upsert would leave the lead as it is.</summary>
    private bool Holds(LeadUpsert upsert)
    {
        if (upsert.Consent is { } consent
            && (consent.Profiling is { } profiling && profiling != State.ProfilingConsent
                || consent.Marketing is { } marketing && marketing != State.MarketingConsent))
        {
            return false;
        }

        var personalDataOf = services.PersonalData;
        var personal = upsert.Email is null && upsert.Name is null && upsert.Phone is null ? null : Personal;
        if (personal is not null
            && (upsert.Email is not null && upsert.Email != personal.Email
                || upsert.Name is not null && upsert.Name != personal.Name
                || upsert.Phone is not null && upsert.Phone != personal.Phone))
        {
            return false;
        }

        foreach (var (name, value) in upsert.Attributes)
        {
            var holds = personalDataOf.IsPersonal(Workspace, name)
                ? Personal.Attributes.TryGetValue(name, out var text) ? text == value?.ToString() : value is null
                : State.Attributes.TryGetValue(name, out var current) ? current.Equals(value) : value is null;
            if (!holds)
            {
                return false;
            }
        }

        // Personal data under a retired key is sealed again by the write; under no key at all it stays as it is.
        return State.Personal is not { } sealedData || services.Protector.IsSealedUnderCurrentKey(sealedData) || PersonalDataUnreadable is not null;
    }

    private bool Holds(OutcomeRecord outcome) =>
        State.Outcome is { } current
        && current.Converted == outcome.Converted && current.DealValue == outcome.DealValue && current.ClosedAt == outcome.ClosedAt;
}
