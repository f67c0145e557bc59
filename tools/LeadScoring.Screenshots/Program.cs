// Signs in with a one-time link, then photographs each page at 1440 and 390 px wide, light and dark.
//   LeadScoring.Screenshots --link SIGN_IN_URL --lead LEAD_ID --out DIR
using Microsoft.Playwright;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

if (!options.TryGetValue("--link", out var link) || !options.TryGetValue("--lead", out var lead) || !options.TryGetValue("--out", out var output))
{
    Console.Error.WriteLine("usage: LeadScoring.Screenshots --link SIGN_IN_URL --lead LEAD_ID --out DIR");
    return 2;
}

Directory.CreateDirectory(output);
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
            // The circuit fills the page after the first render: wait for its content, then for charts to draw.
            await page.WaitForSelectorAsync("h1");
            await page.WaitForTimeoutAsync(1500);
            var file = System.IO.Path.Combine(output, $"{name}-{size}-{scheme.ToString().ToLowerInvariant()}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            Console.WriteLine(file);
        }

        await page.CloseAsync();
    }
}

return 0;
