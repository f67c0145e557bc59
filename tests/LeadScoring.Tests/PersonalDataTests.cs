using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScoring.Modeling.Simulation;
using LeadScoring.Tests.Infrastructure;
using Npgsql;

namespace LeadScoring.Tests;

/// <summary>A cluster (silo and API processes on PostgreSQL) whose workspace has a champion trained on its own history.</summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public sealed class PersonalDataClusterFixture : IAsyncLifetime
{
    public ProductCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ProductCluster.StartAsync();
        using var admin = Cluster.CreateApiClient();
        await ApiScenario.PostHistoryAsync(admin, 120, seed: 5);
        await ApiScenario.TrainOnHistoryAsync(admin);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public class PersonalDataTests(PersonalDataClusterFixture fixture) : IClassFixture<PersonalDataClusterFixture>
{
    private ProductCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Personal_fields_are_stored_encrypted_and_shown_masked_to_everyone_but_admins()
    {
        using var admin = Cluster.CreateApiClient();
        using var analyst = Cluster.CreateApiClient(role: "analyst");
        const string email = "zebediah.quux@pgdump-check.example";
        (await admin.PostAsJsonAsync("/api/leads", new
        {
            lead_id = "sealed-lead",
            email,
            name = "Zebediah Quux",
            phone = "+44 20 7946 0958",
            attributes = new { industry = "retail", first_name = "Xanthippe" },
        })).EnsureSuccessStatusCode();

        var dump = await DumpDatabaseAsync();
        Assert.Contains("sealed-lead", dump, StringComparison.Ordinal); // the dump does hold the lead's row
        foreach (var secret in new[] { email, "Zebediah Quux", "7946 0958", "Xanthippe" })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
            // bytea columns are dumped as hex: the secret must not be there either.
            Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)), dump, StringComparison.Ordinal);
        }

        await Cluster.RestartAsync(); // the sealed state opens again in a new silo process
        var clear = await admin.GetFromJsonAsync<JsonElement>("/api/leads/sealed-lead");
        Assert.Equal(email, clear.GetProperty("email").GetString());
        Assert.Equal("Zebediah Quux", clear.GetProperty("name").GetString());
        Assert.Equal("+44 20 7946 0958", clear.GetProperty("phone").GetString());
        Assert.Equal("Xanthippe", clear.GetProperty("personal_attributes").GetProperty("first_name").GetString());
        Assert.False(clear.GetProperty("attributes").TryGetProperty("first_name", out _)); // never a model feature
        Assert.False(clear.GetProperty("personal_data_masked").GetBoolean());

        var masked = await analyst.GetFromJsonAsync<JsonElement>("/api/leads/sealed-lead");
        Assert.Equal("z***@pgdump-check.example", masked.GetProperty("email").GetString());
        Assert.Equal("Z*** Q***", masked.GetProperty("name").GetString());
        Assert.Equal("***58", masked.GetProperty("phone").GetString());
        Assert.Equal("X***", masked.GetProperty("personal_attributes").GetProperty("first_name").GetString());
        Assert.True(masked.GetProperty("personal_data_masked").GetBoolean());
    }

    [Fact]
    public async Task Erasing_a_lead_leaves_no_row_holding_its_id_or_personal_data_but_its_erasure_event()
    {
        using var admin = Cluster.CreateApiClient();
        const string leadId = "erase-me-4711";
        const string email = "erase.me@erasure-check.example";
        (await admin.PostAsJsonAsync("/api/leads", new { lead_id = leadId, email, name = "Erasmus Gone", attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/leads/{leadId}/activities", new
        {
            activities = new[] { new { activity_id = "a1", type = "demo_request", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-5) } },
        })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/leads/{leadId}/outcome", new { converted = true, deal_value = 1200 })).EnsureSuccessStatusCode();
        (await admin.GetAsync($"/api/ai/scoring/score/{leadId}")).EnsureSuccessStatusCode();
        Assert.True(await Cluster.Database.CountAsync($"SELECT count(*) FROM score_history WHERE lead_id = '{leadId}'") > 0);
        Assert.Equal(1, await Cluster.Database.CountAsync($"SELECT count(*) FROM training_snapshots WHERE lead_id = '{leadId}'"));

        var export = await admin.GetFromJsonAsync<JsonElement>($"/api/leads/{leadId}/export");
        Assert.Equal(email, export.GetProperty("lead").GetProperty("email").GetString());
        Assert.True(export.GetProperty("lead").GetProperty("outcome").GetProperty("converted").GetBoolean());
        Assert.True(export.GetProperty("score_history").GetArrayLength() > 0);

        using var erased = await admin.DeleteAsync($"/api/leads/{leadId}");
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

        // The one row left that names the lead is its lead.erased event, which tells webhook receivers and other
        // consumers to erase it too; it goes with the outbox's retention. The lead's earlier events went with it.
        var erasureNotice = await Cluster.Database.StringsAsync($"SELECT type FROM event_outbox WHERE lead_id = '{leadId}'");
        Assert.Equal(["lead.erased"], erasureNotice);
        await Cluster.Database.ScalarAsync($"DELETE FROM event_outbox WHERE lead_id = '{leadId}' AND type = 'lead.erased'");
        var dump = await DumpDatabaseAsync();
        foreach (var trace in new[] { leadId, email, "Erasmus Gone" })
        {
            Assert.DoesNotContain(trace, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(trace)), dump, StringComparison.Ordinal);
        }

        foreach (var path in new[] { $"/api/leads/{leadId}", $"/api/leads/{leadId}/export", $"/api/ai/scoring/score/{leadId}", $"/api/ai/scoring/score/{leadId}/history" })
        {
            using var gone = await admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using var again = await admin.DeleteAsync($"/api/leads/{leadId}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

        // The audit trail still shows what was done to the lead, under its hash only.
        var trail = await ReadAuditAsync(admin, $"lead_id={leadId}");
        Assert.Equal(
            ["lead.erase:rejected", "lead.export:rejected", "lead.read_personal_data:rejected", "lead.erase:succeeded", "lead.export:succeeded",
             "lead.outcome:succeeded", "lead.activities:succeeded", "lead.upsert:succeeded"],
            trail.Select(e => $"{e.GetProperty("action").GetString()}:{e.GetProperty("outcome").GetString()}"));
    }

    [Fact]
    public async Task Without_profiling_consent_a_lead_is_stored_but_neither_scored_nor_trained_on()
    {
        using var ingest = Cluster.CreateApiClient(role: "ingest");
        const string leadId = "consent-lead";
        (await ingest.PostAsJsonAsync("/api/leads", new { lead_id = leadId, attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
        (await ingest.PostAsJsonAsync($"/api/leads/{leadId}/outcome", new { converted = false })).EnsureSuccessStatusCode();
        Assert.Equal(1, await Cluster.Database.CountAsync($"SELECT count(*) FROM training_snapshots WHERE lead_id = '{leadId}'"));

        using var withdrawn = await ingest.PostAsJsonAsync($"/api/leads/{leadId}/consent", new { profiling = false });
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var consent = await withdrawn.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(consent.GetProperty("profiling").GetBoolean());
        Assert.Equal(0, await Cluster.Database.CountAsync($"SELECT count(*) FROM training_snapshots WHERE lead_id = '{leadId}'"));
        using var refused = await ingest.GetAsync($"/api/ai/scoring/score/{leadId}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("consent", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var given = await ingest.PostAsJsonAsync($"/api/leads/{leadId}/consent", new { profiling = true, marketing = true });
        Assert.Equal(HttpStatusCode.OK, given.StatusCode);
        (await ingest.GetAsync($"/api/ai/scoring/score/{leadId}")).EnsureSuccessStatusCode();

        using var empty = await ingest.PostAsJsonAsync($"/api/leads/{leadId}/consent", new { });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("profiling", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var unknown = await ingest.PostAsJsonAsync("/api/leads/nobody-here/consent", new { profiling = true });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Every_audited_call_leaves_one_row_without_personal_data_in_the_order_it_happened()
    {
        using var admin = Cluster.CreateApiClient();
        using var ingest = Cluster.CreateApiClient(role: "ingest");
        using var analyst = Cluster.CreateApiClient(role: "analyst");
        const string leadId = "audited.person@audit-check.example"; // a lead id that is itself personal data
        var calls = new (HttpClient Client, Func<HttpClient, Task<HttpResponseMessage>> Call, string Action, string Outcome)[]
        {
            (ingest, c => c.PostAsJsonAsync("/api/leads", new { lead_id = leadId, name = "Audrey Trail", attributes = new { industry = "retail" } }), "lead.upsert", "succeeded"),
            (ingest, c => c.PostAsJsonAsync($"/api/leads/{leadId}/activities", new { activities = new[] { new { type = "page_view", occurred_at = DateTimeOffset.UtcNow } } }), "lead.activities", "succeeded"),
            (ingest, c => c.PostAsJsonAsync($"/api/leads/{leadId}/activities", new { activities = Array.Empty<object>() }), "lead.activities", "rejected"),
            (ingest, c => c.PostAsJsonAsync($"/api/leads/{leadId}/consent", new { marketing = true }), "lead.consent", "succeeded"),
            (ingest, c => c.PostAsJsonAsync($"/api/leads/{leadId}/outcome", new { converted = false }), "lead.outcome", "succeeded"),
            (analyst, c => c.PostAsJsonAsync("/api/leads", new { lead_id = leadId }), "lead.upsert", "denied"),
            (analyst, c => c.GetAsync($"/api/leads/{leadId}"), "", ""), // masked read: not audited
            (admin, c => c.GetAsync($"/api/leads/{leadId}"), "lead.read_personal_data", "succeeded"),
            (admin, c => c.GetAsync($"/api/leads/{leadId}/export"), "lead.export", "succeeded"),
            (admin, c => c.PostAsync("/api/ai/scoring/models/v999/promote", null), "model.promote", "rejected"),
            (admin, c => c.DeleteAsync($"/api/leads/{leadId}"), "lead.erase", "succeeded"),
        };

        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        foreach (var (client, call, _, _) in calls)
        {
            using var response = await call(client);
        }

        var entries = await ReadAuditAsync(admin, $"from={Uri.EscapeDataString(since.ToString("O"))}");
        var expected = calls.Where(c => c.Action != "").Select(c => $"{c.Action}:{c.Outcome}").Reverse().ToList();
        // Only this test's targets count (the refused upsert never read its body, so it names no lead).
        var target = entries.First(e => e.GetProperty("action").GetString() == "lead.erase").GetProperty("target").GetString();
        var mine = entries.Where(e => e.TryGetProperty("target", out var t)
                ? t.GetString() == target || t.GetString() == "model:v999"
                : e.GetProperty("role").GetString() == "analyst")
            .ToList();
        Assert.Equal(expected, mine.Select(e => $"{e.GetProperty("action").GetString()}:{e.GetProperty("outcome").GetString()}"));
        Assert.Equal(["ingest", "ingest", "ingest", "ingest", "ingest", "analyst", "admin", "admin", "admin", "admin"], mine.Select(e => e.GetProperty("role").GetString()).Reverse());
        foreach (var entry in mine)
        {
            var text = entry.GetRawText();
            Assert.DoesNotContain("audited.person", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Audrey", text, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("request_id").GetString()));
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("client_address").GetString()));
        }

        Assert.StartsWith("lead:", target, StringComparison.Ordinal);
        Assert.Equal("model:v999", mine.Single(e => e.GetProperty("action").GetString() == "model.promote").GetProperty("target").GetString());

        // Paging: two pages of two are the four newest, in order, without overlap.
        var first = await admin.GetFromJsonAsync<JsonElement>("/api/audit?limit=2");
        var next = first.GetProperty("data").GetProperty("next_before").GetInt64();
        var second = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?limit=2&before={next}");
        var ids = first.GetProperty("data").GetProperty("entries").EnumerateArray().Concat(second.GetProperty("data").GetProperty("entries").EnumerateArray())
            .Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(4, ids.Distinct().Count());
        using var badLimit = await admin.GetAsync("/api/audit?limit=5000");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Contains("limit", await badLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> ReadAuditAsync(HttpClient admin, string query)
    {
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?limit=1000&{query}");
        Assert.True(page.GetProperty("success").GetBoolean());
        return [.. page.GetProperty("data").GetProperty("entries").EnumerateArray()];
    }

    /// <summary>The whole database as pg_dump writes it (data included), as an attacker with a backup would see it.</summary>
    private async Task<string> DumpDatabaseAsync()
    {
        var pgDump = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump")).Where(File.Exists)
            .OrderBy(p => p, StringComparer.Ordinal).Last();
        var connection = new NpgsqlConnectionStringBuilder(Cluster.Database.ConnectionString);
        var (exitCode, dump, error) = await CommandLine.RunAsync(new ProcessStartInfo(pgDump)
        {
            ArgumentList = { "-h", connection.Host!, "-p", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", connection.Username!, "-d", connection.Database! },
        });
        Assert.True(exitCode == 0, error);
        return dump;
    }
}
