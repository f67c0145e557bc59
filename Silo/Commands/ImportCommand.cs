using LeadScoring.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Api.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace LeadScoring.Silo.Commands;

/// <summary>
/// `import --data FILE --id-column C [--label C [--positive V] [--negative V] [--deal-value-column C] [--close-date-column C]]
/// [--join FILE:KEY]... [--workspace W] [--api URL]`:
/// uploads a CRM export to the running cluster's import endpoint, follows the job with its progress on the
/// terminal, and prints the report. Exit code 0 when every row was stored or rejected for its content (the report
/// lists those), 1 when the job failed or rows could not be stored now, 2 for a command line or file the import refuses.
/// </summary>
internal static class ImportCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var options, out var error))
        {
            return Usage.Fail(error);
        }

        if (options.Workspace is { } workspace && TokenWorkspace() is { } tokenWorkspace && tokenWorkspace != workspace)
        {
            return Usage.Fail($"--workspace {workspace} does not match the token in LEADSCORING_TOKEN, which is for workspace '{tokenWorkspace}'");
        }

        try
        {
            return await ImportAsync(options);
        }
        catch (HttpRequestException failed)
        {
            Console.Error.WriteLine(failed.StatusCode is { } status
                ? $"import: the API at {options.Api} answered {(int)status} while following the job: {failed.Message}"
                : $"import: the API at {options.Api} could not be reached: {failed.Message}");
            return 1;
        }
    }

    private static async Task<int> ImportAsync(ImportOptions options)
    {
        using var http = ApiClient.Create(options.Api, TimeSpan.FromMinutes(5));
        using var form = new MultipartFormDataContent
        {
            { File(options.Data), "file", Path.GetFileName(options.Data) },
            { new StringContent(options.IdColumn), "id_column" },
        };
        foreach (var (name, value) in new[]
        {
            ("label", options.Label), ("positive", options.Positive), ("negative", options.Negative),
            ("deal_value_column", options.DealValueColumn), ("close_date_column", options.CloseDateColumn),
        })
        {
            if (value is not null)
            {
                form.Add(new StringContent(value), name);
            }
        }

        foreach (var (file, key) in options.Joins)
        {
            form.Add(File(file), "join", Path.GetFileName(file));
            form.Add(new StringContent(key), "join_key");
        }

        Console.WriteLine($"import: uploading {options.Data} ({new FileInfo(options.Data).Length / 1024.0 / 1024:0.0} MB{(options.Joins.Count > 0 ? $", {options.Joins.Count} joined files" : "")}) to {options.Api}");
        using var started = await http.PostAsync("/api/leads/import", form);
        if (started.StatusCode != HttpStatusCode.Accepted)
        {
            Console.Error.WriteLine($"import: the API answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
            return started.StatusCode == HttpStatusCode.BadRequest ? 2 : 1;
        }

        var accepted = (await started.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("status_url").GetString()!;
        var status = await Follow(http, accepted);
        Report(status);
        return status.GetProperty("state").GetString() == "succeeded" && status.GetProperty("failed").GetInt32() == 0 ? 0 : 1;
    }

    private static StreamContent File(string path)
    {
        var content = new StreamContent(System.IO.File.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    /// <summary>Polls the job until it ends, printing its progress: in place on a terminal, a line every few seconds otherwise.</summary>
    private static async Task<JsonElement> Follow(HttpClient http, string statusUrl)
    {
        var printedAt = DateTime.MinValue;
        var interactive = !Console.IsOutputRedirected;
        while (true)
        {
            using var response = await http.GetAsync(statusUrl);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            response.EnsureSuccessStatusCode();
            var status = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
            var running = status.GetProperty("state").GetString() == "running";
            if (interactive || !running || DateTime.UtcNow - printedAt > TimeSpan.FromSeconds(2))
            {
                var line = Progress(status);
                Console.Write(interactive ? $"\r{line,-78}" : $"{line}\n");
                printedAt = DateTime.UtcNow;
            }

            if (!running)
            {
                if (interactive)
                {
                    Console.WriteLine();
                }

                return status;
            }

            await Task.Delay(PollEvery);
        }
    }

    private static string Progress(JsonElement status)
    {
        var rows = status.GetProperty("rows").GetInt32();
        var processed = status.GetProperty("processed").GetInt32();
        var eta = status.TryGetProperty("eta_seconds", out var seconds) && seconds.ValueKind == JsonValueKind.Number ? $", ETA {seconds.GetDouble():0.0} s" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"import: {processed:N0}/{rows:N0} rows ({(rows == 0 ? 100 : 100.0 * processed / rows):0}%), {status.GetProperty("rows_per_second").GetDouble():N0} rows/s{eta}");
    }

    private static void Report(JsonElement status)
    {
        int Count(string name) => status.GetProperty(name).GetInt32();
        var seconds = status.GetProperty("finished_at").GetDateTimeOffset() - status.GetProperty("started_at").GetDateTimeOffset();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import: {status.GetProperty("state").GetString()} in {seconds.TotalSeconds:0.0} s: {Count("rows"):N0} rows ({(status.TryGetProperty("delimiter", out var delimiter) ? delimiter.GetString() : "unread")}-separated): {Count("created"):N0} created, {Count("updated"):N0} updated, {Count("unchanged"):N0} unchanged, {Count("rejected"):N0} rejected, {Count("failed"):N0} failed; {Count("outcomes"):N0} with outcomes"));
        if (status.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
        {
            Console.WriteLine($"import: {error.GetString()}");
        }

        var problems = status.GetProperty("problems");
        foreach (var problem in problems.EnumerateArray())
        {
            var lead = problem.TryGetProperty("lead_id", out var id) && id.ValueKind == JsonValueKind.String ? $" (lead {id.GetString()})" : "";
            Console.WriteLine($"  row {problem.GetProperty("row").GetInt32()}{lead}: {problem.GetProperty("reason").GetString()}");
        }

        if (Count("rejected") + Count("failed") > problems.GetArrayLength())
        {
            Console.WriteLine($"  ... and {Count("rejected") + Count("failed") - problems.GetArrayLength():N0} more");
        }
    }

    /// <summary>The workspace the token in LEADSCORING_TOKEN is for, when it can be read.</summary>
    private static string? TokenWorkspace()
    {
        try
        {
            return ApiClient.Token is { } token && new JsonWebToken(token).TryGetPayloadValue<string>(TokenClaims.Workspace, out var workspace) ? workspace : null;
        }
        catch (ArgumentException)
        {
            return null; // not a JWT: the API will say so
        }
    }

    private sealed record ImportOptions(
        string Data, string IdColumn, string? Label, string? Positive, string? Negative, List<(string File, string Key)> Joins, string? Workspace, Uri Api,
        string? DealValueColumn, string? CloseDateColumn);

    private static bool TryParse(string[] args, out ImportOptions options, out string error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var joins = new List<(string, string)>();
        var api = ApiClient.DefaultAddress;
        options = null!;
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--join" when value?.LastIndexOf(':') is > 0 and var colon:
                    joins.Add((value[..colon], value[(colon + 1)..]));
                    break;
                case "--api" when Uri.TryCreate(value, UriKind.Absolute, out var uri):
                    api = uri;
                    break;
                case "--data" or "--id-column" or "--label" or "--positive" or "--negative" or "--workspace" or "--deal-value-column" or "--close-date-column"
                    when value is not null:
                    values[args[i]] = value;
                    break;
                default:
                    error = $"unknown or incomplete option '{args[i]}' (import takes --data FILE --id-column C [--label C --positive V --negative V --deal-value-column C --close-date-column C] [--join FILE:KEY]... [--workspace W] [--api URL])";
                    return false;
            }

            i++;
        }

        if (!values.TryGetValue("--data", out var data) || !values.TryGetValue("--id-column", out var idColumn))
        {
            error = "import needs --data FILE and --id-column COLUMN";
            return false;
        }

        if (joins.Select(j => j.Item1).Prepend(data).FirstOrDefault(f => !System.IO.File.Exists(f)) is { } missing)
        {
            error = $"no such file: {missing}";
            return false;
        }

        options = new ImportOptions(data, idColumn, values.GetValueOrDefault("--label"), values.GetValueOrDefault("--positive"),
            values.GetValueOrDefault("--negative"), joins, values.GetValueOrDefault("--workspace"), api,
            values.GetValueOrDefault("--deal-value-column"), values.GetValueOrDefault("--close-date-column"));
        return true;
    }
}
