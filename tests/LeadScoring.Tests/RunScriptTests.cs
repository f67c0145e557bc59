using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;
using Npgsql;

namespace LeadScoring.Tests;

/// <summary>
/// ./run.sh as a new user runs it, with no database settings: its local PostgreSQL keeps leads, scores and models
/// across stops, --memory does not, and backup, reset and restore bring a lead back. Real processes throughout:
/// the script, PostgreSQL, the silo and the API.
/// </summary>
public sealed class RunScriptTests : IAsyncLifetime
{
    private const string InitialModelWorkspace = "demo";
    private readonly string _home = Directory.CreateTempSubdirectory("leadscoring-run.").FullName;
    private readonly int _apiPort = ProductProcess.FreePort();
    private readonly Dictionary<string, string> _environment;

    public RunScriptTests()
    {
        _environment = new Dictionary<string, string>
        {
            ["LEADSCORING_SKIP_BUILD"] = "1",
            ["LEADSCORING_DATA_DIR"] = DataDirectory,
            ["XDG_CONFIG_HOME"] = Path.Combine(_home, "config"),
            ["LEADSCORING_INITIAL_MODEL_WORKSPACES"] = InitialModelWorkspace,
            ["LEADSCORING_API_PORT"] = Port(_apiPort),
            ["LEADSCORING_SILO_HTTP_PORT"] = Port(ProductProcess.FreePort()),
            ["LEADSCORING_SILO_PORT"] = Port(ProductProcess.FreePort()),
            ["LEADSCORING_GATEWAY_PORT"] = Port(ProductProcess.FreePort()),
        };
    }

    private string DataDirectory => Path.Combine(_home, "data");

    private string PostgresData => Path.Combine(DataDirectory, "postgres");

    [Fact]
    public async Task What_a_user_puts_in_survives_a_stop_and_a_restore_but_not_memory_mode()
    {
        var backup = Path.Combine(_home, "leadscoring.backup");
        string leadId;
        string? champion;
        string[] versions;
        int historyBefore;
        string token, demoToken;
        await using (var first = await StartAsync())
        {
            Assert.Contains($"PostgreSQL in {PostgresData}", first.Output, StringComparison.Ordinal);
            // Signed with the key ./run.sh keeps, as a user would make them: they must outlive the restarts below.
            token = await TokenAsync("default");
            demoToken = await TokenAsync(InitialModelWorkspace);
            using var demo = Api(demoToken);
            await ProductCluster.WaitForChampionAsync(demo);
            using var api = Api(token);
            var history = await ApiScenario.PostHistoryAsync(api, 150, seed: 32);
            await ApiScenario.TrainOnHistoryAsync(api);
            leadId = history[0].LeadId;
            (await api.PostAsJsonAsync($"/api/leads/{leadId}/activities", new
            {
                activities = new[] { new { activity_id = "after-training", type = "demo_request", occurred_at = DateTimeOffset.UtcNow } },
            })).EnsureSuccessStatusCode();
            historyBefore = await Eventually.Until(() => ScoreHistoryLengthAsync(api, leadId), length => length > 0, $"a score history for {leadId}");
            (champion, versions) = await ModelsAsync(api);
            Assert.NotNull(champion);
            await TheProductsConnectionOwnsNothingAndSeesTheLeadAsync(leadId);

            var (exitCode, output) = await RunToEndAsync("backup", backup);
            Assert.True(exitCode == 0, output);
            Assert.True(new FileInfo(backup).Length > 0, output);
            Assert.Equal("600", (await CommandLine.RunCheckedAsync("stat", ["-c", "%a", backup])).Trim());
        }

        Assert.False(File.Exists(Path.Combine(PostgresData, "postmaster.pid")), "./run.sh stopped its PostgreSQL");

        await using (var second = await StartAsync())
        {
            using var api = Api(token);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/leads/{leadId}")).StatusCode);
            Assert.True(await ScoreHistoryLengthAsync(api, leadId) >= historyBefore);
            var (championAfter, versionsAfter) = await ModelsAsync(api);
            Assert.Equal(champion, championAfter);
            Assert.Subset(versionsAfter.ToHashSet(), versions.ToHashSet());
            // The initial model was trained once: this start found it in the registry.
            using var demo = Api(demoToken);
            var (demoChampion, demoVersions) = await ModelsAsync(demo);
            Assert.Equal("v1", demoChampion);
            Assert.Equal(["v1"], demoVersions);
            Assert.DoesNotContain("training an initial one", second.Output, StringComparison.Ordinal);
        }

        // Memory mode signs with a key of its own session: the test names one to be able to ask.
        await using (var memory = await StartAsync(["--memory"], ("LEADSCORING_JWT_KEY", TestTokens.KeyBase64)))
        {
            Assert.Contains("IN MEMORY", memory.Output, StringComparison.Ordinal);
            using var api = Api(TestTokens.Create());
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/leads/{leadId}")).StatusCode);
        }

        var (refused, refusal) = await RunToEndAsync("reset");
        Assert.True(refused == 1 && refusal.Contains("--yes", StringComparison.Ordinal), refusal);
        Assert.True(File.Exists(Path.Combine(PostgresData, "PG_VERSION")), "a reset without a confirmation deletes nothing");
        var (reset, resetOutput) = await RunToEndAsync("reset", "--yes");
        Assert.True(reset == 0, resetOutput);
        Assert.False(Directory.Exists(PostgresData), resetOutput);

        var (restored, restoreOutput) = await RunToEndAsync("restore", backup);
        Assert.True(restored == 0, restoreOutput);
        await using (var third = await StartAsync())
        {
            using var api = Api(token);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/leads/{leadId}")).StatusCode);
            Assert.True(await ScoreHistoryLengthAsync(api, leadId) >= historyBefore);
            Assert.Equal(champion, (await ModelsAsync(api)).Champion);
        }
    }

    [Fact]
    public async Task Restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing()
    {
        var notABackup = Path.Combine(_home, "leads.csv");
        await File.WriteAllTextAsync(notABackup, "lead_id,converted\nL1,1\n");

        var (exitCode, output) = await RunToEndAsync("restore", notABackup);

        Assert.True(exitCode == 1 && output.Contains("is not a backup", StringComparison.Ordinal), output);
        Assert.False(Directory.Exists(PostgresData), output);
    }

    // The postgres account runs the server when the tests run as root: it must be able to enter the folder.
    public Task InitializeAsync() => CommandLine.RunCheckedAsync("chmod", ["711", _home]);

    public Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }

    private Task<ProductProcess> StartAsync() => StartAsync([]);

    private async Task<ProductProcess> StartAsync(string[] arguments, params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string>(_environment);
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        var process = ProductProcess.StartRunScript(arguments, environment, _apiPort);
        try
        {
            await process.WaitUntilReadyAsync();
            // The banner comes once the API answers: wait for it so that a test can read it.
            await Eventually.True(() => Task.FromResult(process.Output.Contains("  data ", StringComparison.Ordinal)), "the start banner");
            return process;
        }
        catch
        {
            // Its stop also stops the PostgreSQL it started.
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>./run.sh with <paramref name="arguments"/> to its end, its input not a terminal; the exit code and all it wrote.</summary>
    private async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true };
        start.ArgumentList.Add(RepositoryPaths.RunScript);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ChildEnvironment.Apply(start, _environment);
        var (exitCode, stdout, stderr) = await CommandLine.RunAsync(start);
        return (exitCode, stdout + stderr);
    }

    /// <summary>What `./run.sh connection` gives another service: the product's role, which owns no table.</summary>
    private async Task TheProductsConnectionOwnsNothingAndSeesTheLeadAsync(string leadId)
    {
        var (exitCode, output) = await RunToEndAsync("connection");
        Assert.True(exitCode == 0, output);
        await using var connection = new NpgsqlConnection(output.Trim());
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT current_user, (SELECT count(*) FROM pg_tables WHERE tableowner = current_user), (SELECT count(*) FROM lead_state WHERE lead_id = @lead)", connection);
        query.Parameters.AddWithValue("lead", leadId);
        await using var row = await query.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal("leadscoring", row.GetString(0));
        Assert.Equal(0, row.GetInt64(1));
        Assert.Equal(1, row.GetInt64(2));
    }

    private async Task<string> TokenAsync(string workspace)
    {
        var (exitCode, output) = await RunToEndAsync("token", "--workspace", workspace, "--role", "admin");
        Assert.True(exitCode == 0, output);
        return output.Trim().Split('\n')[^1];
    }

    private HttpClient Api(string token)
    {
        var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return api;
    }

    private static async Task<int> ScoreHistoryLengthAsync(HttpClient api, string leadId) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/ai/scoring/score/{leadId}/history")).GetProperty("data").GetProperty("history").GetArrayLength();

    /// <summary>The workspace's champion and its model versions in order.</summary>
    private static async Task<(string? Champion, string[] Versions)> ModelsAsync(HttpClient api)
    {
        var models = await api.GetFromJsonAsync<JsonElement>("/api/ai/scoring/models");
        return (models.GetProperty("champion").GetString(),
            [.. models.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("version").GetString()!).Order(StringComparer.Ordinal)]);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
