using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Grains.Leads;

/// <summary>The lead's line in the workspace's lead index, which the index reads after each of the lead's events.</summary>
public sealed partial class LeadGrain
{
    public async Task<LeadIndexEntry?> GetIndexEntry()
    {
        if (!State.Exists)
        {
            return null;
        }

        // The headline the lead holds is what the index lists: completing the score's details (recent activities read
        // back, an explanation computed) after every change only for the index cost more than the change itself.
        var headline = _score?.Headline;
        if (headline is null)
        {
            var scored = await ScoreWithChampion(includeInsights: false);
            headline = scored.Fresh is { } fresh ? ScoreHeadline.Of(fresh) : scored.Cached?.Headline;
        }

        return new LeadIndexEntry(
            LeadId, headline?.OverallScore, headline?.ConversionProbability, headline?.Grade, headline?.Trend, headline?.ModelVersion,
            headline?.ScoredAt, State.CreatedAt, State.UpdatedAt, State.ProfilingConsent, State.MarketingConsent, State.Outcome?.Converted,
            State.Attributes.ToDictionary(a => a.Key, a => a.Value.ToString(), StringComparer.Ordinal));
    }
}
