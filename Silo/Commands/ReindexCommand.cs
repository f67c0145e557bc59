using System.Net.Http.Json;
using System.Text.Json;

namespace LeadScoring.Silo.Commands;

/// <summary>
/// `reindex [--api URL]`: rebuilds the lead index of the token's workspace from its leads (after the index was lost
/// or its indexed attributes changed), following the rebuild until it ends. Exit code 0 when it succeeded, 1 when
/// it failed or the API could not be reached, 2 for a command line that cannot be run.
/// </summary>
internal static class ReindexCommand
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(string[] args)
    {
        var api = ApiClient.DefaultAddress;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--api" && i + 1 < args.Length && Uri.TryCreate(args[i + 1], UriKind.Absolute, out var given))
            {
                api = given;
                i++;
            }
            else
            {
                return Usage.Fail($"reindex takes only --api URL, not '{args[i]}'");
            }
        }

        try
        {
            using var http = ApiClient.Create(api, TimeSpan.FromSeconds(30));
            using var started = await http.PostAsync("/api/leads/index/rebuild", null);
            started.EnsureSuccessStatusCode();
            JsonElement rebuild;
            do
            {
                await Task.Delay(PollEvery);
                rebuild = (await http.GetFromJsonAsync<JsonElement>("/api/leads/index/rebuild")).GetProperty("data");
                Console.Error.Write($"\rreindex: {rebuild.GetProperty("leads").GetInt64()} leads");
            }
            while (rebuild.GetProperty("state").GetString() == "running");

            Console.Error.WriteLine();
            var state = rebuild.GetProperty("state").GetString();
            Console.WriteLine(state == "succeeded"
                ? $"reindex: {rebuild.GetProperty("leads").GetInt64()} leads indexed"
                : $"reindex: {state}: {(rebuild.TryGetProperty("error", out var error) ? error.GetString() : "")}");
            return state == "succeeded" ? 0 : 1;
        }
        catch (HttpRequestException failed)
        {
            Console.Error.WriteLine(failed.StatusCode is { } status
                ? $"reindex: the API at {api} answered {(int)status}: {failed.Message}"
                : $"reindex: the API at {api} could not be reached: {failed.Message}");
            return 1;
        }
    }
}
