using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests;

/// <summary>
/// Silos started with a data key that does not open what an earlier key sealed (a lost key file, a backup
/// restored beside another key): leads still read and record without their personal data, say why, refuse only
/// changes to it, and get it back unharmed once the old key is configured again.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Process")]
public sealed class LostDataKeyTests
{
    [Fact]
    public async Task A_lead_whose_personal_data_no_key_opens_is_read_without_it_and_gets_it_back_with_the_key()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var admin = cluster.CreateApiClient();
        using var analyst = cluster.CreateApiClient(role: "analyst");
        const string email = "grace@lost-key.example";
        (await admin.PostAsJsonAsync("/api/leads", new
        {
            lead_id = "sealed-before",
            email,
            name = "Grace H",
            attributes = new { industry = "retail", first_name = "Grace" },
        })).EnsureSuccessStatusCode();

        var otherKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await cluster.RestartAsync(new Dictionary<string, string> { ["LEADSCORING_DATA_KEY"] = otherKey });

        foreach (var reader in new[] { admin, analyst })
        {
            var lead = await reader.GetFromJsonAsync<JsonElement>("/api/leads/sealed-before");
            Assert.False(lead.TryGetProperty("email", out _));
            Assert.Empty(lead.GetProperty("personal_attributes").EnumerateObject());
            Assert.Contains("no key of this installation opens", lead.GetProperty("personal_data_unreadable").GetString(), StringComparison.Ordinal);
        }

        var export = await admin.GetFromJsonAsync<JsonElement>("/api/leads/sealed-before/export");
        Assert.True(export.GetProperty("lead").TryGetProperty("personal_data_unreadable", out _));
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsJsonAsync("/api/leads/sealed-before/activities", new
        {
            activities = new[] { new { activity_id = "after-key-loss", type = "page_view", occurred_at = DateTimeOffset.UtcNow } },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/leads", new
        {
            lead_id = "sealed-before",
            attributes = new { industry = "software" },
        })).StatusCode);

        using var refused = await admin.PostAsJsonAsync("/api/leads", new
        {
            lead_id = "sealed-before",
            email = "someone.else@lost-key.example",
            attributes = new { industry = "finance", first_name = "Someone" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["attributes.first_name", "email"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));

        await cluster.RestartAsync(new Dictionary<string, string>
        {
            ["LEADSCORING_DATA_KEY"] = otherKey,
            ["LEADSCORING_DATA_KEYS_RETIRED"] = ProductProcess.DataKeyBase64,
        });
        var restored = await admin.GetFromJsonAsync<JsonElement>("/api/leads/sealed-before");
        Assert.Equal(email, restored.GetProperty("email").GetString());
        Assert.Equal("Grace", restored.GetProperty("personal_attributes").GetProperty("first_name").GetString());
        Assert.Equal("software", restored.GetProperty("attributes").GetProperty("industry").GetString());
        Assert.Equal(1, restored.GetProperty("activity_count").GetInt64());
        Assert.False(restored.TryGetProperty("personal_data_unreadable", out _));
    }

    [Fact]
    public async Task A_webhook_whose_secret_no_key_opens_disables_itself_and_delivers_again_once_rotated_and_enabled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var cluster = await ProductCluster.StartAsync(siloEnvironment: new Dictionary<string, string>
        {
            ["LeadScoring__Webhooks__AllowPrivateNetworks"] = "true",
        });
        using var admin = cluster.CreateApiClient();
        using var created = await admin.PostAsJsonAsync("/api/webhooks", new { url = $"{receiver.BaseUrl}/hook", event_types = new[] { "lead.created" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var webhookId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("id").GetString()!;

        await cluster.RestartAsync(new Dictionary<string, string> { ["LEADSCORING_DATA_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        (await admin.PostAsJsonAsync("/api/leads", new { lead_id = "unsigned", attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
        var webhook = await Eventually.Until(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}")).GetProperty("data"),
            w => !w.GetProperty("enabled").GetBoolean(), "the webhook to disable itself");
        Assert.Contains("rotate the secret", webhook.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(receiver.Received);

        using var rotated = await admin.PostAsJsonAsync($"/api/webhooks/{webhookId}/rotate-secret", new { grace_period_seconds = 0 });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var secret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("secret").GetString()!;
        (await admin.PatchAsJsonAsync($"/api/webhooks/{webhookId}", new { enabled = true })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/leads", new { lead_id = "signed-again", attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();

        var received = await receiver.WaitForAsync(r => r.Count > 0, "a delivery after the rotation");
        Assert.Equal("signed-again", Assert.Single(received).Event.GetProperty("data").GetProperty("lead_id").GetString());
        Assert.True(received[0].IsSignedWith(secret));
    }
}
