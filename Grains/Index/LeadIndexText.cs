using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Index;

/// <summary>What both index stores share: the trend as text, and a summary from counts.</summary>
public static class LeadIndexText
{
    public static readonly IReadOnlyList<string> Grades = ["A", "B", "C", "D"];

    public static string Trend(ScoreTrend trend) => JsonNamingPolicy.SnakeCaseLower.ConvertName(trend.ToString());

    public static ScoreTrend TrendOf(string text) => Enum.Parse<ScoreTrend>(text, ignoreCase: true);

    /// <summary>The summary of lines counted by grade, score decile (0-9; null without a score) and outcome.</summary>
    public static LeadIndexSummary Summary(IEnumerable<(string? Grade, int? Bucket, bool? Converted, long Count)> counts)
    {
        var all = counts.ToList();
        var histogram = new long[10];
        foreach (var (_, bucket, _, count) in all.Where(c => c.Bucket is not null))
        {
            histogram[Math.Clamp(bucket!.Value, 0, 9)] += count;
        }

        var byGrade = Grades.ToDictionary(g => g, g => all.Where(c => c.Grade == g).Sum(c => c.Count), StringComparer.Ordinal);
        byGrade["none"] = all.Where(c => c.Grade is null).Sum(c => c.Count);
        var conversion = Grades.ToDictionary(g => g, g =>
        {
            var outcomes = all.Where(c => c.Grade == g && c.Converted is not null).Sum(c => c.Count);
            var converted = all.Where(c => c.Grade == g && c.Converted == true).Sum(c => c.Count);
            return new GradeConversion(outcomes, converted, outcomes == 0 ? null : Math.Round((double)converted / outcomes, 4));
        }, StringComparer.Ordinal);
        return new LeadIndexSummary(all.Sum(c => c.Count), byGrade, histogram, conversion);
    }
}
