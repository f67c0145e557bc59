using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Simulation;

namespace LeadScoring.Silo.Commands;

/// <summary>
/// Posts <see cref="SyntheticCrm"/> leads through the HTTP API: the lead, its activities (with ids, so a
/// re-run is idempotent) and its outcome. --rate paces leads per second; without it leads go as fast as
/// 8 concurrent senders allow.
/// </summary>
internal static class SimulateCommand
{
    private const int Senders = 8;

    /// <summary>Sends of one call before a 429 counts as its failure.</summary>
    private const int MaxAttempts = 20;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var leads, out var rate, out var seed, out var api, out var error))
        {
            return Usage.Fail(error);
        }

        using var http = ApiClient.Create(api, TimeSpan.FromSeconds(30));
        var origin = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        long activities = 0, outcomes = 0, failures = 0, sent = 0;
        using var gate = new SemaphoreSlim(Senders);
        var tasks = new List<Task>();
        var index = 0;
        foreach (var lead in SyntheticCrm.Generate(leads, seed, origin))
        {
            if (rate is { } perSecond)
            {
                var due = TimeSpan.FromSeconds(index / perSecond);
                if (due > stopwatch.Elapsed)
                {
                    await Task.Delay(due - stopwatch.Elapsed);
                }
            }

            index++;
            await gate.WaitAsync();
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await Send(http, lead);
                    Interlocked.Add(ref activities, lead.Activities.Count);
                    Interlocked.Add(ref outcomes, lead.Outcome is null ? 0 : 1);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    if (Interlocked.Increment(ref failures) <= 5)
                    {
                        Console.Error.WriteLine($"lead {lead.LeadId}: {e.Message}");
                    }
                }
                finally
                {
                    gate.Release();
                    if (Interlocked.Increment(ref sent) % 100 == 0)
                    {
                        Console.WriteLine($"simulate: {sent}/{leads} leads");
                    }
                }
            }));
        }

        await Task.WhenAll(tasks);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulate: {leads - failures} leads, {activities} activities, {outcomes} outcomes posted to {api} in {seconds:0.0} s ({(leads - failures) / Math.Max(seconds, 0.001):0} leads/s); {failures} failed; seed {seed}"));
        return failures == 0 ? 0 : 1;
    }

    private static async Task Send(HttpClient http, SimulatedLead lead)
    {
        var attributes = lead.Attributes.ToDictionary(a => a.Key, a => a.Value.Kind switch
        {
            LeadAttributeKind.Number => (object)a.Value.Number,
            LeadAttributeKind.Boolean => a.Value.Boolean,
            _ => a.Value.Text!,
        });
        await Post(http, "/api/leads", new { lead_id = lead.LeadId, attributes, email = lead.Email, name = lead.Name });
        if (lead.Activities.Count > 0)
        {
            await Post(http, $"/api/leads/{lead.LeadId}/activities", new
            {
                activities = lead.Activities.Select(a => new
                {
                    activity_id = a.ActivityId,
                    type = a.Type.ToWireName(),
                    occurred_at = a.OccurredAt,
                    properties = new
                    {
                        duration_seconds = a.Properties.DurationSeconds,
                        url = a.Properties.Url,
                        channel = a.Properties.Channel,
                        content_id = a.Properties.ContentId,
                    },
                }),
            });
        }

        if (lead.Outcome is { } outcome)
        {
            await Post(http, $"/api/leads/{lead.LeadId}/outcome",
                new { converted = outcome.Converted, deal_value = outcome.DealValue, closed_at = outcome.ClosedAt });
        }
    }

    /// <summary>
    /// Sends once, and again after the wait a 429 names (the API charges a token per activity, so an unpaced run
    /// meets its rate limit): a refused call wrote nothing, so sending it again loses and repeats nothing.
    /// </summary>
    private static async Task Post(HttpClient http, string path, object body)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await http.PostAsJsonAsync(path, body, Json);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            var problem = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"POST {path} answered {(int)response.StatusCode}: {problem}");
        }
    }

    private static bool TryParse(string[] args, out int leads, out double? rate, out int seed, out Uri api, out string error)
    {
        leads = 0;
        rate = null;
        seed = 42;
        api = ApiClient.DefaultAddress;
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--leads" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    leads = n;
                    break;
                case "--rate" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0 && double.IsFinite(r):
                    rate = r;
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    break;
                case "--api" when Uri.TryCreate(value, UriKind.Absolute, out var uri):
                    api = uri;
                    break;
                default:
                    error = $"'{args[i]} {value}' is not a valid option (--leads takes a positive whole number, --rate a positive number, --seed a whole number, --api a URL)";
                    return false;
            }

            i++;
        }

        if (leads == 0)
        {
            error = "simulate needs --leads N";
            return false;
        }

        return true;
    }
}
