using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Scoring;

namespace LeadScoring.Tests.Scoring;

public class RecentScoresTests
{
    private static ScoreHistoryEntry Entry(int i) =>
        new(DateTimeOffset.UnixEpoch.AddMinutes(i), i, i / 1000.0, "C", $"v{i}", ScoreTrigger.Activity);

    [Fact]
    public void Keeps_the_trend_window_newest_first_and_knows_when_the_store_is_full()
    {
        var stored = Enumerable.Range(0, LeadLimits.ScoreHistory - 2).Reverse().Select(Entry).ToList();
        var recent = new RecentScores(stored);
        Assert.Equal(new RecentScores.LatestScore("v97", 97, 0.097), recent.Latest);

        Assert.False(recent.IsFull);
        recent.Add(Entry(1000));
        Assert.False(recent.IsFull);
        recent.Add(Entry(1001));
        Assert.True(recent.IsFull);
        recent.Add(Entry(1002));

        Assert.True(recent.IsFull);
        Assert.Equal(new RecentScores.LatestScore("v1002", 1002, 1.002), recent.Latest);
        Assert.Equal([1.002, 1.001, 1.000, 0.097, 0.096], recent.Probabilities);
        Assert.Equal(LeadInsights.TrendWindow, recent.Probabilities.Count);
    }

    [Fact]
    public void A_lead_without_history_has_no_latest_entry()
    {
        var recent = new RecentScores([]);

        Assert.Null(recent.Latest);
        Assert.False(recent.IsFull);
        Assert.Empty(recent.Probabilities);
    }

    [Fact]
    public void Grows_from_no_history_up_to_the_trend_window()
    {
        var recent = new RecentScores([]);

        for (var i = 0; i < LeadInsights.TrendWindow + 2; i++)
        {
            recent.Add(Entry(i));

            var expected = Enumerable.Range(0, i + 1).Reverse().Take(LeadInsights.TrendWindow).Select(n => n / 1000.0);
            Assert.Equal(expected, recent.Probabilities);
            Assert.Equal(new RecentScores.LatestScore($"v{i}", i, i / 1000.0), recent.Latest);
        }
    }
}
