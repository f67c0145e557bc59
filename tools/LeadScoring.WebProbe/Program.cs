// The web app from a real browser (Debian's Chromium through Playwright), signed in with a one-time link:
//   screenshots --link SIGN_IN_URL --lead LEAD_ID --out DIR
//       every page at 1440 and 390 px wide, light and dark
//   live-latency --link SIGN_IN_URL --lead LEAD_ID --token API_TOKEN [--count N] --out FILE.json
//       opens the lead's page, posts an activity through the API N times, and times each from the API's
//       acknowledgement to the new score on the open page
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

if (args.Length == 0 || args[0] is not ("screenshots" or "live-latency"))
{
    return Usage();
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

if (!options.TryGetValue("--link", out var link) || !options.TryGetValue("--lead", out var lead) || !options.TryGetValue("--out", out var output))
{
    return Usage();
}

var root = new Uri(link).GetLeftPart(UriPartial.Authority);
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium",
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
var context = await browser.NewContextAsync();
var signIn = await context.NewPageAsync();
await signIn.GotoAsync(link);
await signIn.CloseAsync();

return args[0] == "screenshots"
    ? await Screenshots(context, root, lead, output)
    : await LiveLatency(context, root, lead, options.GetValueOrDefault("--token") ?? "", int.Parse(options.GetValueOrDefault("--count") ?? "50"), output);

static async Task<int> Screenshots(IBrowserContext context, string root, string lead, string output)
{
    Directory.CreateDirectory(output);
    (string Name, string Path)[] pages =
    [
        ("leads", "/app/leads"), ("lead", $"/app/leads/{Uri.EscapeDataString(lead)}"), ("overview", "/app/overview"), ("insights", "/app/insights"),
        ("trends", "/app/trends"), ("experiments", "/app/experiments"), ("models", "/app/models"), ("webhooks", "/app/webhooks"),
    ];
    foreach (var (width, height, size) in new[] { (1440, 900, "desktop"), (390, 844, "phone") })
    {
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(width, height);
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            foreach (var (name, path) in pages)
            {
                await page.GotoAsync(root + path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
                // Charts draw once the circuit is up and they know their size.
                await page.Locator("main[data-interactive='true']").WaitForAsync();
                await page.WaitForTimeoutAsync(1000);
                var file = Path.Combine(output, $"{name}-{size}-{scheme.ToString().ToLowerInvariant()}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                Console.WriteLine(file);
            }

            await page.CloseAsync();
        }
    }

    return 0;
}

static async Task<int> LiveLatency(IBrowserContext context, string root, string lead, string token, int count, string output)
{
    var page = await context.NewPageAsync();
    await page.GotoAsync($"{root}/app/leads/{Uri.EscapeDataString(lead)}");
    await page.Locator("main[data-interactive='true']").WaitForAsync();
    using var api = new HttpClient { BaseAddress = new Uri(root) };
    api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var scored = page.Locator(".score-model");
    var latencies = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var before = await scored.GetAttributeAsync("data-scored-at");
        var body = JsonSerializer.Serialize(new { activities = new[] { new { type = "page_view", activity_id = Guid.NewGuid().ToString("N"), occurred_at = DateTimeOffset.UtcNow } } });
        using var response = await api.PostAsync($"/api/leads/{Uri.EscapeDataString(lead)}/activities", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var acknowledged = Stopwatch.StartNew();
        await page.WaitForFunctionAsync(
            "before => document.querySelector('.score-model')?.dataset.scoredAt !== before", before, new PageWaitForFunctionOptions { PollingInterval = 5, Timeout = 30_000 });
        latencies.Add(acknowledged.Elapsed.TotalMilliseconds);
        await Task.Delay(200);
    }

    latencies.Sort();
    double Percentile(double p) => Math.Round(latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))], 1);
    var result = new { count = latencies.Count, p50_ms = Percentile(0.5), p99_ms = Percentile(0.99), max_ms = Math.Round(latencies[^1], 1) };
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result));
    Console.WriteLine(JsonSerializer.Serialize(result));
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: LeadScoring.WebProbe screenshots --link SIGN_IN_URL --lead LEAD_ID --out DIR");
    Console.Error.WriteLine("       LeadScoring.WebProbe live-latency --link SIGN_IN_URL --lead LEAD_ID --token API_TOKEN [--count N] --out FILE.json");
    return 2;
}
