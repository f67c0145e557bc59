using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Options;
using Microsoft.Extensions.Options;

namespace LeadScoring.Grains.Webhooks;

/// <summary>What one delivery attempt got: the endpoint's status (none when it never answered), how long it took, why it failed.</summary>
public readonly record struct DeliveryOutcome(int? Status, double LatencyMs, string? Error, TimeSpan? RetryAfter)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Sends events to webhook endpoints, signed (<see cref="WebhookSignature"/>), one POST each with the event's JSON.
/// One pooled client per silo. Redirects are not followed (a redirect could lead where the endpoint itself may not
/// be), and each connection is made only to an address <see cref="NetworkGuard"/> allows.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider clock)
    {
        _clock = clock;
        var allowPrivate = options.Value.AllowPrivateNetworks;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host;
                var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
                var allowed = allowPrivate ? addresses : [.. addresses.Where(a => !NetworkGuard.IsInternal(a))];
                if (allowed.Length == 0)
                {
                    throw new HttpRequestException($"'{host}' resolves only to addresses webhooks may not reach");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = options.Value.Timeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("LeadScoring-Webhooks/1.0");
    }

    public async Task<DeliveryOutcome> SendAsync(Uri url, WorkspaceEvent e, IReadOnlyList<byte[]> keys)
    {
        var body = e.ToJson();
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", e.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Header(keys, e.Id, timestamp, body));
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return status is >= 200 and < 300
                ? new DeliveryOutcome(status, latency, null, null)
                : new DeliveryOutcome(status, latency, $"the endpoint answered {status} {response.ReasonPhrase}", RetryAfter(response));
        }
        catch (TaskCanceledException)
        {
            return new DeliveryOutcome(null, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"no answer within {_http.Timeout.TotalSeconds:0.#} s", null);
        }
        catch (HttpRequestException failed)
        {
            return new DeliveryOutcome(null, Stopwatch.GetElapsedTime(started).TotalMilliseconds, failed.InnerException?.Message ?? failed.Message, null);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is not { } retryAfter ? null
        : retryAfter.Delta is { } delta ? delta
        : retryAfter.Date is { } date ? date - _clock.GetUtcNow()
        : null;

    public void Dispose() => _http.Dispose();
}
