using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.PersonalData;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Grains.Leads;

/// <summary>The lead's commands: attributes, consent and the outcome.</summary>
public sealed partial class LeadGrain
{
    public async Task<UpsertLeadResult> Upsert(LeadUpsert upsert)
    {
        var errors = LeadValidator.ValidateUpsert(upsert, State.Attributes);
        errors.AddRange(UnreadablePersonalDataErrors(upsert));
        if (errors.Count > 0)
        {
            return new UpsertLeadResult(CommandStatus.Invalid, null, errors);
        }

        var now = services.Clock.GetUtcNow();
        var (created, withdrawn) = Apply(upsert, now);
        await PersistRescored(ScoreTrigger.Attributes, now);
        await ForgetTrainingSnapshotIf(withdrawn);
        return new UpsertLeadResult(created ? CommandStatus.Created : CommandStatus.Ok, await Snapshot(now), NoErrors);
    }

    /// <summary>Applies a validated upsert to the state (not yet persisted).</summary>
    /// <returns>Whether the lead is new, and whether the upsert withdrew its profiling consent.</returns>
    private (bool Created, bool ProfilingWithdrawn) Apply(LeadUpsert upsert, DateTimeOffset now)
    {
        var created = !State.Exists;
        if (created)
        {
            State.Exists = true;
            State.CreatedAt = now;
            // Profiling defaults to on (legitimate interest in B2B); a lead can opt out at creation or later.
            State.ProfilingConsent = true;
            UnstoredEvents.Add(LeadEvents.Created(Workspace, LeadId, now));
        }

        var personalDataOf = services.PersonalData;
        var personal = Personal;
        var personalAttributes = new Dictionary<string, string>(personal.Attributes, StringComparer.Ordinal);
        var personalChanged = upsert.Email is not null || upsert.Name is not null || upsert.Phone is not null;
        foreach (var (name, value) in upsert.Attributes)
        {
            if (personalDataOf.IsPersonal(Workspace, name))
            {
                personalChanged = true;
                if (value is null)
                {
                    personalAttributes.Remove(name);
                }
                else
                {
                    personalAttributes[name] = value.ToString();
                }
            }
            else if (value is null)
            {
                State.Attributes.Remove(name);
            }
            else
            {
                State.Attributes.Set(SharedValues.Text(name), SharedValues.Attribute(value));
            }
        }

        // Personal data that cannot be read stays sealed as it is (an upsert that would change it was refused).
        if (PersonalDataUnreadable is null
            && (personalChanged || (State.Personal is { } sealedData && !services.Protector.IsSealedUnderCurrentKey(sealedData))))
        {
            SealPersonal(new LeadPersonalData(
                upsert.Email ?? personal.Email, upsert.Name ?? personal.Name, upsert.Phone ?? personal.Phone, personalAttributes));
        }

        var withdrawn = ApplyConsent(upsert.Consent);
        State.UpdatedAt = now;
        return (created, withdrawn);
    }

    public async Task<UpdateConsentResult> UpdateConsent(ConsentUpdate consent)
    {
        if (!State.Exists)
        {
            return new UpdateConsentResult(CommandStatus.NotFound, null);
        }

        var now = services.Clock.GetUtcNow();
        var withdrawn = ApplyConsent(consent);
        State.UpdatedAt = now;
        await PersistRescored(ScoreTrigger.Attributes, now);
        await ForgetTrainingSnapshotIf(withdrawn);
        return new UpdateConsentResult(CommandStatus.Ok, new LeadConsent(State.ProfilingConsent, State.MarketingConsent));
    }

    public async Task<RecordOutcomeResult> RecordOutcome(OutcomeRecord outcome)
    {
        if (!State.Exists)
        {
            return new RecordOutcomeResult(CommandStatus.NotFound, null, NoErrors);
        }

        var now = services.Clock.GetUtcNow();
        var errors = LeadValidator.ValidateOutcome(outcome, now);
        if (errors.Count > 0)
        {
            return new RecordOutcomeResult(CommandStatus.Invalid, null, errors);
        }

        TakeOutcome(outcome, now);
        await Persist();
        await services.Experiments.RecordOutcomeAsync(Workspace, LeadId, outcome.Converted, outcome.DealValue);
        if (State.ProfilingConsent && (await LoadRecentScores()).Latest is { } scored)
        {
            // The realized performance of the model that last scored the lead.
            _ = GrainFactory.GetGrainOfResolvedType<IDriftAggregatorGrain>(Workspace)
                .ObserveOutcome(scored.ModelVersion, new LabelledScore(scored.ConversionProbability, outcome.Converted));
        }

        return new RecordOutcomeResult(CommandStatus.Ok, State.Outcome, NoErrors);
    }

    /// <summary>
    /// Sets the outcome with the features as they are now, and makes the lead's training snapshot, which the next
    /// write stores with the state. Leads without profiling consent are never training data.
    /// </summary>
    private void TakeOutcome(OutcomeRecord outcome, DateTimeOffset now)
    {
        // The features as they are at recording time: training must never see what happened after the outcome.
        State.Outcome = new LeadOutcome(outcome.Converted, outcome.DealValue, outcome.ClosedAt, now, Features(now));
        State.UpdatedAt = now;
        _unstoredSnapshot = State.ProfilingConsent
            ? new TrainingSnapshot(Workspace, LeadId, now, outcome.Converted, outcome.DealValue, outcome.ClosedAt,
                State.Attributes.ToDictionary(a => a.Key, a => a.Value.ToString()), State.Outcome.FeaturesAtOutcome)
            : null;
    }

    /// <summary>Applies the given flags; true when profiling consent was withdrawn by them.</summary>
    private bool ApplyConsent(ConsentUpdate? consent)
    {
        var hadProfiling = State.ProfilingConsent;
        State.ProfilingConsent = consent?.Profiling ?? State.ProfilingConsent;
        State.MarketingConsent = consent?.Marketing ?? State.MarketingConsent;
        return hadProfiling && !State.ProfilingConsent;
    }

    /// <summary>A lead that withdrew profiling consent is no longer training data.</summary>
    private Task ForgetTrainingSnapshotIf(bool profilingWithdrawn) =>
        profilingWithdrawn && State.Outcome is not null ? services.Snapshots.DeleteAsync(Workspace, LeadId) : Task.CompletedTask;
}
