using LeadScoring.Grains.Interfaces;
using LeadScoring.Web.Components.Scores;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace LeadScoring.Web.Tests;

/// <summary>The score components as a user sees them: what they draw, what they say in words, and what they refuse.</summary>
public sealed class ComponentTests : BunitContext
{
    private static readonly GradeBands Bands = new(80, 60, 30);

    public ComponentTests()
    {
        Services.AddRadzenComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Radzen's charts and gauges ask the browser for their size before they draw.
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Width = 400, Height = 240 });
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createGauge", _ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Width = 300, Height = 220 });
    }

    [Theory]
    [InlineData("A", "grade-a", "Grade A (from 80)")]
    [InlineData("C", "grade-c", "Grade C (from 30)")]
    [InlineData("D", "grade-d", "Grade D")]
    public void A_grade_badge_shows_the_grade_and_where_the_workspace_s_band_begins(string grade, string css, string title)
    {
        var badge = Render<GradeBadge>(p => p.Add(b => b.Grade, grade).Add(b => b.Bands, Bands)).Find("span");

        Assert.Equal(grade, badge.TextContent);
        Assert.Contains(css, badge.ClassList);
        Assert.Equal(title, badge.GetAttribute("title"));
    }

    [Fact]
    public void A_lead_without_a_score_has_no_grade_badge_but_a_dash()
    {
        var badge = Render<GradeBadge>(p => p.Add(b => b.Grade, null)).Find("span");

        Assert.Equal("–", badge.TextContent);
        Assert.Contains("grade-none", badge.ClassList);
    }

    [Theory]
    [InlineData(85, "A")]
    [InlineData(80, "A")]
    [InlineData(79.6, "B")]
    [InlineData(29.9, "D")]
    public void The_gauge_says_the_score_and_grade_in_words_with_the_workspace_s_bands(double score, string grade)
    {
        var gauge = Render<ScoreGauge>(p => p.Add(g => g.Score, score).Add(g => g.Bands, Bands));

        var label = gauge.Find("figure").GetAttribute("aria-label")!;
        Assert.StartsWith($"Score {score:0} of 100, grade {grade}.", label, StringComparison.Ordinal);
        Assert.Contains("Grade A from 80, B from 60, C from 30.", label, StringComparison.Ordinal);
        Assert.Equal(grade, gauge.Find(".grade-badge").TextContent);
        Assert.NotEmpty(gauge.FindAll("svg"));
    }

    [Fact]
    public void A_dimension_the_model_lacks_is_listed_as_missing_and_not_drawn_as_zero()
    {
        var chart = Render<DimensionChart>(p => p.Add(c => c.Dimensions, new DimensionScores(70, 55.5, null, 20, null, 90)));

        var missing = chart.FindAll(".dimension-missing");
        Assert.Equal(["Fit", "Interaction"], missing.Select(m => m.QuerySelector("dt")!.TextContent));
        Assert.All(missing, m => Assert.Equal("not in the model", m.QuerySelector("dd")!.TextContent));
        Assert.Equal("56", chart.FindAll(".dimension-values div").Single(d => d.QuerySelector("dt")!.TextContent == "Engagement").QuerySelector("dd")!.TextContent);
        Assert.Equal(4, chart.Instance.Bars.Count(b => b.Score is not null));
    }

    [Fact]
    public void A_lead_with_no_dimension_at_all_draws_no_chart()
    {
        var chart = Render<DimensionChart>(p => p.Add(c => c.Dimensions, new DimensionScores(null, null, null, null, null, null)));

        Assert.Empty(chart.FindAll("svg"));
        Assert.Equal(6, chart.FindAll(".dimension-missing").Count);
    }

    [Fact]
    public void The_waterfall_walks_from_the_base_value_to_the_output_with_the_small_contributions_as_one_step()
    {
        var contributions = new List<FeatureContribution>
        {
            new("page_view_count_30d", "12", 0.9, FeatureDimension.Behavioral),
            new("days_since_last_activity", "14.19", -0.6, FeatureDimension.Temporal),
            new("industry", "software", 0.2, FeatureDimension.Demographic),
            new("email_open_count_7d", "1", 0.05, FeatureDimension.Engagement),
            new("visit_count", "3", -0.02, FeatureDimension.Behavioral),
        };
        var explanation = new ScoreExplanation(-1.0, -1.0 + contributions.Sum(c => c.Contribution), contributions);

        var waterfall = Render<ExplanationWaterfall>(p => p.Add(w => w.Explanation, explanation).Add(w => w.Largest, 3));

        var labels = waterfall.FindAll(".waterfall-label").Select(l => l.TextContent).ToList();
        Assert.Equal(
            ["Average lead (base)", "Page views in the last 30 days: 12", "Days since the last activity: 14 days", "Industry: software", "2 other features", "This lead (output)"],
            labels);
        Assert.Equal(3, waterfall.FindAll(".waterfall-bar.raises").Count);
        Assert.Single(waterfall.FindAll(".waterfall-bar.lowers"));
        Assert.Contains("(26.9%)", waterfall.FindAll(".waterfall-value")[0].TextContent, StringComparison.Ordinal);

        var steps = WaterfallSteps.Of(explanation, 3);
        Assert.Equal(explanation.OutputValue, steps.Steps[^1].To, 12);
        Assert.All(steps.Steps.Zip(steps.Steps.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From, 12));
    }

    [Fact]
    public void Choosing_grades_tells_the_page_the_filter_at_once()
    {
        LeadListFilter? told = null;
        var filters = Render<LeadFilters>(p => p.Add(f => f.FilterChanged, (LeadListFilter f) => told = f));

        filters.FindAll(".grade-choice input")[0].Change(true);
        filters.FindAll(".grade-choice input")[2].Change(true);

        Assert.Equal(["A", "C"], told!.Grades);
        var query = told.ToQuery(after: null);
        Assert.Equal(["A", "C"], query.Grades!);
        Assert.Equal(LeadIndexSortField.Score, query.Sort);
        Assert.True(query.Descending);
        Assert.Equal(LeadListFilter.PageSize, query.Limit);
    }

    [Fact]
    public void A_score_range_upside_down_says_why_and_asks_nothing()
    {
        var calls = 0;
        var filters = Render<LeadFilters>(p => p.Add(f => f.FilterChanged, (LeadListFilter _) => calls++));

        filters.Find("input[aria-label='Lowest score']").Change("70");
        filters.Find("input[aria-label='Highest score']").Change("40");

        Assert.Equal(1, calls);
        Assert.Equal("The lowest score is above the highest.", filters.Find(".filter-problem").TextContent);
    }

    [Fact]
    public void An_attribute_filter_goes_into_the_query_trimmed()
    {
        LeadListFilter? told = null;
        var filters = Render<LeadFilters>(p => p.Add(f => f.FilterChanged, (LeadListFilter f) => told = f));

        filters.Find("input[aria-label='Attribute name']").Change(" industry ");
        Assert.Equal("Give the attribute's value too.", filters.Find(".filter-problem").TextContent);
        filters.Find("input[aria-label='Attribute value']").Change("software");

        Assert.Equal("software", told!.ToQuery(null).Attributes["industry"]);
        Assert.False(told.Admits("A", 90, ScoreTrend.Improving));
    }

    [Fact]
    public void Went_up_today_asks_for_improving_leads_scored_since_midnight()
    {
        LeadListFilter? told = null;
        var filters = Render<LeadFilters>(p => p.Add(f => f.FilterChanged, (LeadListFilter f) => told = f));

        filters.Find(".went-up input").Change(true);

        var query = told!.ToQuery(null);
        Assert.Equal(ScoreTrend.Improving, query.Trend);
        Assert.Equal(DateTimeOffset.UtcNow.Date, query.ScoredSince!.Value.UtcDateTime.Date);
        Assert.Equal(TimeSpan.Zero, query.ScoredSince.Value.TimeOfDay);
        Assert.True(told.Admits("B", 60, ScoreTrend.Improving));
        Assert.False(told.Admits("B", 60, ScoreTrend.Steady));
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("the lead's personal data is sealed under key id 0123456789abcdef, which no key of this installation opens", 1)]
    public void A_profile_says_when_the_lead_s_personal_data_cannot_be_read(string? unreadable, int notices)
    {
        var lead = new LeadSnapshot(
            "default", "lead-1", new Dictionary<string, LeadAttributeValue>(), null, null, new LeadConsent(true, false), DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, 0, [], [], null, null, new Dictionary<string, string>(), unreadable);

        var profile = Render<LeadProfile>(p => p.Add(l => l.Lead, lead).Add(l => l.ShowPersonalData, true));

        var found = profile.FindAll(".unreadable");
        Assert.Equal(notices, found.Count);
        Assert.All(found, notice => Assert.Equal(unreadable, notice.GetAttribute("title")));
    }

    [Fact]
    public void The_history_chart_marks_each_new_model_and_says_so_in_words()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var entries = new List<ScoreHistoryEntry>
        {
            new(start, 40, 0.4, "C", "v1", ScoreTrigger.Activity),
            new(start.AddHours(1), 55, 0.55, "C", "v1", ScoreTrigger.Activity),
            new(start.AddHours(2), 61, 0.61, "B", "v2", ScoreTrigger.ModelChanged),
            new(start.AddHours(3), 82, 0.82, "A", "v2", ScoreTrigger.Activity),
        };

        var chart = Render<ScoreHistoryChart>(p => p.Add(c => c.Entries, entries));

        Assert.Equal(["v2"], chart.Instance.ModelChanges.Select(c => c.ModelVersion));
        Assert.Equal(
            "4 scores from 2026-12-01 09:00 to 2026-12-01 12:00 UTC, lowest 40, highest 82, latest 82. New model versions: v2 from 2026-12-01 11:00.",
            chart.Find(".history-summary").TextContent);
    }
}
