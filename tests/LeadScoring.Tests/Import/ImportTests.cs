using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Training;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Import;

/// <summary>Importing CRM exports as they come, through the command line and the API, into a real cluster and PostgreSQL.</summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Process")]
public class ImportTests
{
    private static readonly string XEducation = Path.Combine(RepositoryPaths.Root, "..", "shared", "data", "leads-xeducation.csv");

    [Fact]
    public async Task The_X_Education_export_imports_every_lead_with_its_outcome_and_importing_it_again_changes_nothing()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();
        var export = CsvTable.Load(XEducation);
        var converted = export.Column(export.IndexOf("Converted")).Count(c => c == "1");

        var (mismatchExit, mismatch) = await RunImportAsync(api, $"--data \"{XEducation}\" --id-column \"Prospect ID\" --workspace elsewhere");
        Assert.True(mismatchExit == 2, mismatch);
        Assert.Contains("does not match the token", mismatch, StringComparison.Ordinal);

        var (exitCode, output) = await RunImportAsync(api, $"--data \"{XEducation}\" --id-column \"Prospect ID\" --label Converted --workspace {WorkspaceKey.DefaultWorkspace}");

        Assert.True(exitCode == 0, output);
        Assert.Contains("9,237 created, 0 updated, 0 unchanged, 0 rejected, 0 failed; 9,237 with outcomes", output, StringComparison.Ordinal);
        Assert.Contains("rows/s", output, StringComparison.Ordinal);
        Assert.Equal(9_237, await cluster.Database.CountAsync("SELECT count(*) FROM lead_state"));
        Assert.Equal(9_237, await cluster.Database.CountAsync("SELECT count(*) FROM training_snapshots"));
        Assert.Equal(converted, await cluster.Database.CountAsync("SELECT count(*) FROM training_snapshots WHERE converted"));

        // The first row: 7927b2df-...,660737,API,Olark Chat,No,No,0,0,0,0,Page Visited on Website,,Select,...
        var lead = await api.GetFromJsonAsync<JsonElement>("/api/leads/7927b2df-8bba-4d29-b9a2-b6e0beafe620");
        var attributes = lead.GetProperty("attributes");
        Assert.Equal("API", attributes.GetProperty("Lead Origin").GetString());
        Assert.Equal(JsonValueKind.Number, attributes.GetProperty("Total Time Spent on Website").ValueKind);
        Assert.Equal(660_737, attributes.GetProperty("Lead Number").GetDouble());
        Assert.False(attributes.TryGetProperty("Country", out _), "an empty cell is a missing attribute");
        Assert.False(attributes.TryGetProperty("Specialization", out _), "'Select' is the form's unfilled default: missing");
        Assert.False(attributes.TryGetProperty("Converted", out _), "the label is the outcome, not an attribute");
        Assert.False(lead.GetProperty("outcome").GetProperty("converted").GetBoolean());

        var versions = await cluster.Database.ScalarAsync("SELECT sum(version) FROM lead_state");
        var history = await cluster.Database.CountAsync("SELECT count(*) FROM score_history");
        var (againExit, again) = await RunImportAsync(api, $"--data \"{XEducation}\" --id-column \"Prospect ID\" --label Converted");

        Assert.True(againExit == 0, again);
        Assert.Contains("0 created, 0 updated, 9,237 unchanged, 0 rejected, 0 failed", again, StringComparison.Ordinal);
        Assert.Equal(versions, await cluster.Database.ScalarAsync("SELECT sum(version) FROM lead_state"));
        Assert.Equal(history, await cluster.Database.CountAsync("SELECT count(*) FROM score_history"));
    }

    [Fact]
    public async Task A_tab_separated_export_with_joins_stores_its_good_rows_and_reports_each_refused_row_with_its_number()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();
        var tooLong = new string('x', 1_001);
        var export = string.Join("\n",
            "Opportunity ID\tAccount\tAnnual Revenue\tZip\tStage\t",
            "op-1\tacme\t1532\t007\tWon\t",
            "op-2\tglobex\t1,532\tN/A\tLost\t",
            "op 3\tacme\t10\t1\tWon\t",
            "op-4\tinitech\t2.50\t-\tEngaging\t",
            "op-1\tacme\t99\t1\tLost\t",
            $"op-5\t{tooLong}\t1\t1\tWon\t",
            "op-6\tunknown\t-3\t1\tLost\t") + "\n";
        var accounts = "Account,Sector,Employees\nacme,software,120\nglobex,retail,4000\ninitech,finance,35\n";

        var status = await ImportAsync(api, export, "Opportunity ID", "Stage", "Won", "Lost", ("accounts.csv", accounts, "Account"));

        Assert.Equal("succeeded", status.GetProperty("state").GetString());
        Assert.Equal("tab", status.GetProperty("delimiter").GetString());
        Assert.Equal((7, 7, 4, 3, 0, 3), (status.GetProperty("rows").GetInt32(), status.GetProperty("processed").GetInt32(), status.GetProperty("created").GetInt32(),
            status.GetProperty("rejected").GetInt32(), status.GetProperty("failed").GetInt32(), status.GetProperty("outcomes").GetInt32()));
        var problems = status.GetProperty("problems").EnumerateArray().ToList();
        Assert.Equal([4, 6, 7], problems.Select(p => p.GetProperty("row").GetInt32()));
        Assert.Contains("lead id must be", problems[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("already imported from row 2", problems[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("op-5", problems[2].GetProperty("lead_id").GetString());
        Assert.Contains("Account", problems[2].GetProperty("reason").GetString(), StringComparison.Ordinal);

        var won = await api.GetFromJsonAsync<JsonElement>("/api/leads/op-1");
        var open = await api.GetFromJsonAsync<JsonElement>("/api/leads/op-4");
        var unmatched = await api.GetFromJsonAsync<JsonElement>("/api/leads/op-6");
        using var refused = await api.GetAsync("/api/leads/op-5");

        Assert.Equal(1_532, won.GetProperty("attributes").GetProperty("Annual Revenue").GetDouble());
        Assert.Equal("007", won.GetProperty("attributes").GetProperty("Zip").GetString());
        Assert.Equal("software", won.GetProperty("attributes").GetProperty("Sector").GetString());
        Assert.Equal(120, won.GetProperty("attributes").GetProperty("Employees").GetDouble());
        Assert.True(won.GetProperty("outcome").GetProperty("converted").GetBoolean());
        Assert.Equal("2.50", open.GetProperty("attributes").GetProperty("Annual Revenue").GetString());
        Assert.False(open.GetProperty("attributes").TryGetProperty("Zip", out _));
        Assert.False(open.TryGetProperty("outcome", out var openOutcome) && openOutcome.ValueKind != JsonValueKind.Null, "a row whose label is neither value is an open lead");
        Assert.False(unmatched.GetProperty("attributes").TryGetProperty("Sector", out _), "a row without a match in a joined file gets no joined attributes");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(4, await cluster.Database.CountAsync("SELECT count(*) FROM lead_state"));
        Assert.Equal(3, await cluster.Database.CountAsync("SELECT count(*) FROM training_snapshots"));
    }

    [Fact]
    public async Task An_import_that_cannot_run_is_refused_with_the_field_at_fault_and_stores_nothing()
    {
        await using var cluster = await ProductCluster.StartAsync();
        using var api = cluster.CreateApiClient();
        using var reader = cluster.CreateApiClient(role: "analyst");
        const string export = "lead,stage,Annual Revenue\nl-1,won,10\nl-2,lost,20\n";

        async Task<(HttpStatusCode Status, string Body)> StartAsync(HttpClient client, params (string Name, string Value)[] fields)
        {
            using var form = new MultipartFormDataContent();
            foreach (var (name, value) in fields)
            {
                if (name is "file" or "join")
                {
                    form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(value)), name, $"{name}.csv");
                }
                else
                {
                    form.Add(new StringContent(value), name);
                }
            }

            using var response = await client.PostAsync("/api/leads/import", form);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var cases = new (string Field, (HttpStatusCode Status, string Body) Answer)[]
        {
            ("file", await StartAsync(api, ("id_column", "lead"))),
            ("id_column", await StartAsync(api, ("file", export))),
            ("id_column", await StartAsync(api, ("file", export), ("id_column", "Lead ID"))),
            ("label", await StartAsync(api, ("file", export), ("id_column", "lead"), ("label", "outcome"))),
            ("positive", await StartAsync(api, ("file", export), ("id_column", "lead"), ("label", "stage"), ("positive", "maybe"))),
            ("positive", await StartAsync(api, ("file", export), ("id_column", "lead"), ("positive", "won"))),
            ("join_key", await StartAsync(api, ("file", export), ("id_column", "lead"), ("join", "lead,x\nl-1,1\n"))),
            ("join_key", await StartAsync(api, ("file", export), ("id_column", "lead"), ("join", "account,x\na,1\n"), ("join_key", "account"))),
            ("file", await StartAsync(api, ("file", "lead,\"unclosed\nl-1,2\n"), ("id_column", "lead"))),
            ("file", await StartAsync(api, ("file", "lead,\u0001bell\nl-1,2\n"), ("id_column", "lead"))),
        };
        var forbidden = await StartAsync(reader, ("file", export), ("id_column", "lead"));

        foreach (var (field, (status, body)) in cases)
        {
            Assert.True(status == HttpStatusCode.BadRequest, $"{field}: {status} {body}");
            Assert.Contains($"\"{field}\"", body, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal(0, await cluster.Database.CountAsync("SELECT count(*) FROM lead_state"));
        Assert.Equal(0, await cluster.Database.CountAsync("SELECT count(*) FROM orleansstorage WHERE graintypestring LIKE '%import%'"));
    }

    /// <summary>Starts an import through the API and waits for it to end.</summary>
    private static async Task<JsonElement> ImportAsync(
        HttpClient api, string csv, string idColumn, string? label, string? positive, string? negative, params (string Name, string Csv, string Key)[] joins)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "export.tsv" },
            { new StringContent(idColumn), "id_column" },
        };
        foreach (var (name, value) in new[] { ("label", label), ("positive", positive), ("negative", negative) })
        {
            if (value is not null)
            {
                form.Add(new StringContent(value), name);
            }
        }

        foreach (var join in joins)
        {
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(join.Csv)), "join", join.Name);
            form.Add(new StringContent(join.Key), "join_key");
        }

        using var response = await api.PostAsync("/api/leads/import", form);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await ApiScenario.WaitForJobAsync(api, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status_url").GetString()!);
    }

    /// <summary>Runs `LeadScoring.Silo import` (what ./run.sh import runs) against the API with the client's token.</summary>
    private static async Task<(int ExitCode, string Output)> RunImportAsync(HttpClient api, string arguments)
    {
        var (exitCode, stdout, stderr) = await SiloCommandLine.RunAsync(
            $"import {arguments} --api {api.BaseAddress}", new Dictionary<string, string> { ["LEADSCORING_TOKEN"] = api.DefaultRequestHeaders.Authorization!.Parameter! });
        return (exitCode, stdout + stderr);
    }
}
