using LeadScoring.Web.Wording;

namespace LeadScoring.Web.Tests;

public sealed class FeatureWordingTests
{
    [Theory]
    [InlineData("page_view_count_30d", "12", "Page views in the last 30 days: 12")]
    [InlineData("demo_request_count_total", "0", "Demo requests in all: 0")]
    [InlineData("email_reply_count_7d", "1", "E-mail replies in the last 7 days: 1")]
    [InlineData("time_on_site_seconds", "1532", "Time on site: 26 min")]
    [InlineData("time_on_site_seconds", "45", "Time on site: 45 s")]
    [InlineData("email_response_rate", "0.25", "E-mail response rate: 25%")]
    [InlineData("days_since_last_activity", "1.2", "Days since the last activity: 1 day")]
    [InlineData("last_activity_type", "webinar_attended", "Last activity: Webinar attended")]
    [InlineData("engagement_decayed", "28.8912", "Recent engagement: 28.89")]
    [InlineData("job_seniority", "c_level", "Job seniority: c_level")]
    [InlineData("country", "BR", "Country: BR")]
    [InlineData("Total Time Spent on Website", "1532", "Total Time Spent on Website: 1,532")]
    [InlineData("Lead Origin", null, "Lead Origin: unknown")]
    public void A_reason_reads_as_words_not_as_a_column_name(string feature, string? value, string expected) =>
        Assert.Equal(expected, FeatureWording.Reason(feature, value));
}
