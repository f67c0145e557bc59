using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>One request a <see cref="WebhookReceiver"/> took.</summary>
public sealed record ReceivedWebhook(string Path, string Id, long Timestamp, string Signatures, string Body, int AnsweredWith)
{
    public JsonElement Event => JsonDocument.Parse(Body).RootElement;

    /// <summary>Whether one of the signatures is this secret's, checked as the Standard Webhooks specification words it.</summary>
    public bool IsSignedWith(string secret)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}")));
        return Signatures.Split(' ').Contains(expected);
    }
}

/// <summary>
/// A real HTTP endpoint for webhooks (Kestrel on a free loopback port): it records every request and answers each
/// path as <paramref name="answer"/> says, given the path and how many requests that path had before.
/// </summary>
public sealed class WebhookReceiver(Func<string, int, int> answer) : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(Func<string, int, int>? answer = null)
    {
        var receiver = new WebhookReceiver(answer ?? ((_, _) => 200));
        var port = ProductProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{**path}", receiver.Take);
        await app.StartAsync();
        receiver._app = app;
        receiver.BaseUrl = $"http://127.0.0.1:{port}";
        return receiver;
    }

    /// <summary>What was received once <paramref name="done"/> holds for it; fails when the deadline passes first.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, string waitingFor, TimeSpan? deadline = null) =>
        Eventually.Until(() => Task.FromResult(Received), done, waitingFor, deadline);

    private async Task<IResult> Take(HttpContext context, string path)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var nth = _counts.AddOrUpdate(path, 0, (_, n) => n + 1);
        var status = answer(path, nth);
        var headers = context.Request.Headers;
        _received.Enqueue(new ReceivedWebhook(
            path, headers["webhook-id"].ToString(), long.Parse(headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
            headers["webhook-signature"].ToString(), body, status));
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
