namespace LeadScoring.Silo.Commands;

/// <summary>How the commands that talk to a running cluster (simulate, import) reach its API.</summary>
internal static class ApiClient
{
    /// <summary>LEADSCORING_API_URL, or the address ./run.sh serves on.</summary>
    public static Uri DefaultAddress => new(Environment.GetEnvironmentVariable("LEADSCORING_API_URL") ?? "http://localhost:5080");

    /// <summary>The bearer token in LEADSCORING_TOKEN, if any.</summary>
    public static string? Token => Environment.GetEnvironmentVariable("LEADSCORING_TOKEN") is { Length: > 0 } token ? token : null;

    public static HttpClient Create(Uri api, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = api, Timeout = timeout };
        if (Token is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return http;
    }
}
