// The events benchmark's listener: a webhook receiver and a SignalR client at once, as a CRM and a browser would
// be. It records, for every lead.scored it gets, how long after the event occurred it arrived, and after the given
// seconds writes each channel's count and latency percentiles as JSON.
//   LeadScoring.EventListener --port P --api URL --token T --follow-leads N --seconds S --out FILE
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

var options = args.Chunk(2).ToDictionary(pair => pair[0].TrimStart('-'), pair => pair[1]);
var port = int.Parse(options["port"], CultureInfo.InvariantCulture);
var followed = int.Parse(options.GetValueOrDefault("follow-leads", "1000"), CultureInfo.InvariantCulture);
var seconds = int.Parse(options["seconds"], CultureInfo.InvariantCulture);
var webhookLags = new ConcurrentBag<double>();
var hubLags = new ConcurrentBag<double>();
var webhookIds = new ConcurrentDictionary<string, byte>();

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/hook", async (HttpRequest request) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body);
    if (webhookIds.TryAdd(request.Headers["webhook-id"].ToString(), 0))
    {
        webhookLags.Add(LagMs(body.RootElement));
    }

    return Results.Ok();
});
await app.StartAsync();

var hub = new HubConnectionBuilder()
    .WithUrl(new Uri(new Uri(options["api"]), "/hubs/scores"), o =>
    {
        o.AccessTokenProvider = () => Task.FromResult<string?>(options["token"]);
        o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
        o.SkipNegotiation = true;
    })
    .Build();
hub.On<JsonElement>("Event", e =>
{
    if (e.GetProperty("type").GetString() == "lead.scored")
    {
        hubLags.Add(LagMs(e));
    }
});
await hub.StartAsync();
await hub.InvokeAsync("FollowWorkspace");
foreach (var chunk in Enumerable.Range(0, followed).Select(i => $"b-{i}").Chunk(1000))
{
    await hub.InvokeAsync("FollowLeads", chunk);
}

Console.WriteLine($"listening: webhooks on {port}, hub following {followed} leads");
// Until the time is up or the process is told to stop (SIGTERM stops the host, not this program's own wait).
var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
await Task.Delay(TimeSpan.FromSeconds(seconds), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
await File.WriteAllTextAsync(options["out"], JsonSerializer.Serialize(new
{
    webhook = Summary(webhookLags),
    signalr = Summary(hubLags),
}));
await hub.DisposeAsync();
await app.StopAsync();

static double LagMs(JsonElement e) => (DateTimeOffset.UtcNow - e.GetProperty("occurred_at").GetDateTimeOffset()).TotalMilliseconds;

static object Summary(ConcurrentBag<double> lags)
{
    var sorted = lags.Order().ToArray();
    double? At(double p) => sorted.Length == 0 ? null : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))], 1);
    return new { count = sorted.Length, p50_ms = At(0.50), p99_ms = At(0.99), max_ms = At(1) };
}
