using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Grains.Events;

/// <summary>
/// The events of a lead's changes, as its write stores them with the change (the outbox). They carry the lead's
/// id and its score, never its attributes or personal data.
/// </summary>
public static class LeadEvents
{
    /// <summary>lead.scored for a recorded score, and lead.grade_changed with it when the grade moved.</summary>
    /// <param name="previous">The score the lead held before, if any.</param>
    public static IEnumerable<WorkspaceEvent> Scored(string workspace, string leadId, ScoreHeadline score, RecentScores.LatestScore? previous)
    {
        yield return EventData.Event(EventTypes.LeadScored, workspace, score.ScoredAt, leadId, writer =>
        {
            writer.WriteString("lead_id", leadId);
            writer.WriteNumber("overall_score", score.OverallScore);
            writer.WriteNumber("probability", Math.Round(score.ConversionProbability, 6));
            writer.WriteString("grade", score.Grade);
            writer.WriteString("trend", JsonNamingPolicy.SnakeCaseLower.ConvertName(score.Trend.ToString()));
            writer.WriteString("model_version", score.ModelVersion);
            writer.WriteString("trigger", JsonNamingPolicy.SnakeCaseLower.ConvertName(score.Trigger.ToString()));
            WritePrevious(writer, previous);
            writer.WriteString("scored_at", score.ScoredAt);
        });

        if (previous is { } last && last.Grade != score.Grade)
        {
            yield return EventData.Event(EventTypes.LeadGradeChanged, workspace, score.ScoredAt, leadId, writer =>
            {
                writer.WriteString("lead_id", leadId);
                writer.WriteString("grade", score.Grade);
                writer.WriteString("previous_grade", last.Grade);
                writer.WriteNumber("overall_score", score.OverallScore);
                writer.WriteNumber("previous_score", last.OverallScore);
                writer.WriteString("model_version", score.ModelVersion);
            });
        }
    }

    public static WorkspaceEvent Created(string workspace, string leadId, DateTimeOffset at) =>
        EventData.Event(EventTypes.LeadCreated, workspace, at, leadId, writer =>
        {
            writer.WriteString("lead_id", leadId);
            writer.WriteString("created_at", at);
        });

    public static WorkspaceEvent Erased(string workspace, string leadId, DateTimeOffset at) =>
        EventData.Event(EventTypes.LeadErased, workspace, at, leadId, writer => writer.WriteString("lead_id", leadId));

    private static void WritePrevious(Utf8JsonWriter writer, RecentScores.LatestScore? previous)
    {
        if (previous is { } last)
        {
            writer.WriteString("previous_grade", last.Grade);
            writer.WriteNumber("previous_score", last.OverallScore);
        }
        else
        {
            writer.WriteNull("previous_grade");
            writer.WriteNull("previous_score");
        }
    }
}
