using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LeadScoring.Grains.Events;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Webhooks;

namespace LeadScoring.Tests.Events;

/// <summary>Event ids, webhook signatures, the addresses webhooks may reach, and which events a webhook's filter lets through.</summary>
[Trait("Category", "Unit")]
public partial class EventRulesTests
{
    [Fact]
    public void Event_ids_are_unique_well_formed_and_sort_by_the_time_they_were_made()
    {
        var start = DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var ids = Enumerable.Range(0, 10_000).Select(i => EventIds.New(start.AddMilliseconds(i / 10))).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches(EventIdPattern(), id));
        // Ids of different milliseconds sort by time (within one millisecond the order is random).
        var byMillisecond = ids.Where((_, i) => i % 10 == 0).ToList();
        Assert.Equal(byMillisecond, byMillisecond.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_signature_matches_the_specification_s_published_example()
    {
        // The example of the Standard Webhooks specification: its secret, message id, timestamp and payload.
        var key = Convert.FromBase64String("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        var header = WebhookSignature.Header([key], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", header);
    }

    [Fact]
    public void During_a_rotation_each_key_signs_and_each_signature_verifies_independently()
    {
        byte[] oldKey = WebhookSignature.NewKey(), newKey = WebhookSignature.NewKey();
        const string Body = """{"id":"evt_1","type":"lead.scored"}""";

        var signatures = WebhookSignature.Header([newKey, oldKey], "evt_1", 1_700_000_000, Body).Split(' ');

        Assert.Equal(2, signatures.Length);
        Assert.Equal(Verify(newKey, "evt_1", 1_700_000_000, Body), signatures[0]);
        Assert.Equal(Verify(oldKey, "evt_1", 1_700_000_000, Body), signatures[1]);
        Assert.StartsWith(WebhookSignature.SecretPrefix, WebhookSignature.SecretOf(newKey), StringComparison.Ordinal);
        Assert.Equal(newKey, Convert.FromBase64String(WebhookSignature.SecretOf(newKey)[WebhookSignature.SecretPrefix.Length..]));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    public void Loopback_private_link_local_and_metadata_addresses_are_internal(string address) =>
        Assert.True(NetworkGuard.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_are_not_internal(string address) => Assert.False(NetworkGuard.IsInternal(IPAddress.Parse(address)));

    [Fact]
    public async Task A_url_on_an_internal_address_is_refused_unless_the_operator_allows_private_networks()
    {
        Assert.NotNull(await NetworkGuard.RefusalAsync(new Uri("http://169.254.169.254/latest/meta-data"), false, CancellationToken.None));
        Assert.NotNull(await NetworkGuard.RefusalAsync(new Uri("http://localhost:8080/hook"), false, CancellationToken.None));
        Assert.Null(await NetworkGuard.RefusalAsync(new Uri("http://localhost:8080/hook"), true, CancellationToken.None));
    }

    [Fact]
    public void A_filter_lets_through_lead_events_of_its_grades_and_scores_that_moved_enough()
    {
        var webhook = Webhook([EventTypes.LeadScored, EventTypes.ModelPromoted], new WebhookFilter(["A", "B"], 5));

        Assert.True(WebhookRules.Wants(webhook, Scored("A", 80, 70)));
        Assert.True(WebhookRules.Wants(webhook, Scored("B", 60, null)));
        Assert.False(WebhookRules.Wants(webhook, Scored("C", 40, 20)));
        Assert.False(WebhookRules.Wants(webhook, Scored("A", 80, 77)));
        Assert.True(WebhookRules.Wants(webhook, Event(EventTypes.ModelPromoted, """{"version":"v2"}""")));
        Assert.False(WebhookRules.Wants(webhook, Event(EventTypes.LeadCreated, """{"lead_id":"l"}""")));
    }

    [Fact]
    public void Settings_are_refused_field_by_field()
    {
        var errors = WebhookRules.Validate(
            new WebhookSettings("ftp://x/y", ["lead.scored", "lead.bogus"], new WebhookFilter(["E"], 101), new string('d', 501), null), creating: true);

        Assert.Equal(["description", "event_types", "filter.grades", "filter.min_score_change", "url"], errors.Select(e => e.Field).Order().ToArray());
        Assert.Equal(["event_types", "url"], WebhookRules.Validate(new WebhookSettings(null, null, null, null, null), creating: true).Select(e => e.Field).Order().ToArray());
        Assert.Empty(WebhookRules.Validate(new WebhookSettings(null, null, null, null, false), creating: false));
        Assert.Contains(WebhookRules.Validate(new WebhookSettings("https://user:pw@example.com/", ["lead.scored"], null, null, null), creating: true),
            e => e.Field == "url");
    }

    /// <summary>The signature computed here from the specification's words, not with the product's code.</summary>
    private static string Verify(byte[] key, string id, long timestamp, string body)
    {
        using var hmac = new HMACSHA256(key);
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body)));
    }

    private static Webhook Webhook(IReadOnlyList<string> types, WebhookFilter? filter) =>
        new("wh_1", "https://example.com/hook", types, filter, null, true, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, null);

    private static WorkspaceEvent Scored(string grade, double score, double? previous) =>
        Event(EventTypes.LeadScored, $$"""{"lead_id":"l","overall_score":{{score}},"grade":"{{grade}}","previous_score":{{(previous is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")}}}""");

    private static WorkspaceEvent Event(string type, string data) => new("evt_x", type, "w", DateTimeOffset.UnixEpoch, "l", data);

    [GeneratedRegex("^evt_[0-9A-HJKMNP-TV-Z]{26}$")]
    private static partial Regex EventIdPattern();
}
