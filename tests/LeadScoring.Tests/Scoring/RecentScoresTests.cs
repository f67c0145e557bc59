using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Tests.Scoring;

[Trait("Category", "Unit")]
public class RecentScoresTests
{
    private static ScoreHistoryEntry Entry(int i) =>
        new(DateTimeOffset.UnixEpoch.AddMinutes(i), i, i / 1000.0, "C", $"v{i}", ScoreTrigger.Activity);

    [Fact]
    public void Keeps_the_trend_window_newest_first_and_trims_the_store_once_it_holds_twice_the_kept_history()
    {
        var stored = Enumerable.Range(0, LeadLimits.ScoreHistory - 2).Reverse().Select(Entry).ToList();
        var recent = new RecentScores(stored);
        Assert.Equal(new RecentScores.LatestScore("v97", 97, 0.097, "C"), recent.Latest);

        // 98 stored: the append that makes 200 is the 102nd.
        Assert.Equal(LeadLimits.StoredScoreHistory - stored.Count, AppendsUntilTrim(recent, 1000));
        // Back to the kept history, then another 100 appends before the next trim.
        Assert.Equal(LeadLimits.StoredScoreHistory - LeadLimits.ScoreHistory, AppendsUntilTrim(recent, 2000));

        Assert.Equal(new RecentScores.LatestScore("v2099", 2099, 2.099, "C"), recent.Latest);
        Assert.Equal([2.099, 2.098, 2.097, 2.096, 2.095], recent.Probabilities);
        Assert.Equal(LeadInsights.TrendWindow, recent.Probabilities.Count);
    }

    [Fact]
    public void A_full_page_of_stored_history_may_hide_more_so_the_first_append_trims()
    {
        var recent = new RecentScores([.. Enumerable.Range(0, LeadLimits.ScoreHistory).Reverse().Select(Entry)]);

        Assert.True(recent.TrimsOnNextAppend);
        recent.Add(Entry(1000));
        Assert.Equal(LeadLimits.StoredScoreHistory - LeadLimits.ScoreHistory, AppendsUntilTrim(recent, 2000));
    }

    /// <summary>Appends entries numbered from <paramref name="first"/> up to and including the one that trims; returns how many.</summary>
    private static int AppendsUntilTrim(RecentScores recent, int first)
    {
        for (var n = 1; n <= LeadLimits.StoredScoreHistory; n++)
        {
            var trims = recent.TrimsOnNextAppend;
            recent.Add(Entry(first + n - 1));
            if (trims)
            {
                return n;
            }
        }

        throw new InvalidOperationException("no append trimmed the store");
    }

    [Fact]
    public void A_lead_without_history_has_no_latest_entry()
    {
        var recent = new RecentScores([]);

        Assert.Null(recent.Latest);
        Assert.False(recent.TrimsOnNextAppend);
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
            Assert.Equal(new RecentScores.LatestScore($"v{i}", i, i / 1000.0, "C"), recent.Latest);
        }
    }
}
