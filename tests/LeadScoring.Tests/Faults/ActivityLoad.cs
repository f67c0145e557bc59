using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Faults;

/// <summary>
/// A steady load for fault tests: workers post one activity with a new id per request to random leads, as fast
/// as answered, and every answer is kept with when its request was sent.
/// </summary>
public sealed class ActivityLoad
{
    private readonly ConcurrentBag<Answer> _answers = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private ActivityLoad(int leads) => Leads = leads;

    public int Leads { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyCollection<Answer> Answers => _answers;

    /// <summary>
    /// Creates the leads, then runs the workers until <see cref="StopAsync"/>: a test ends the load a set time after
    /// its fault is over, however long the fault itself took on a busy machine.
    /// </summary>
    public static async Task<ActivityLoad> StartAsync(HttpClient api, int leads, int workers)
    {
        for (var i = 0; i < leads; i++)
        {
            (await api.PostAsJsonAsync("/api/leads", new { lead_id = $"lead-{i}", attributes = new { industry = "retail" } })).EnsureSuccessStatusCode();
        }

        var load = new ActivityLoad(leads);
        load._running = Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(() => load.Work(api, worker))));
        return load;
    }

    /// <summary>Lets each worker finish the request it has in flight, sends no more, and returns when they are done.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        var stopped = Elapsed;
        await _stop.CancelAsync();
        await _running;
        return stopped;
    }

    /// <summary>
    /// Each answer a 5xx other than 503, or a 503 without Retry-After: what a fault must never bring. No answer at
    /// all is wrong too, except for requests sent while <paramref name="apiDown"/> (the API process itself was gone).
    /// </summary>
    public IReadOnlyList<Answer> Wrong((TimeSpan From, TimeSpan To)? apiDown = null) =>
        [.. _answers.Where(a => (a.Status >= 500 && a.Status != 503) || (a.Status == 503 && !a.RetryAfter)
            || (a.Status == 0 && !(apiDown is var (from, to) && a.Sent + a.Took >= from && a.Sent <= to)))];

    public IReadOnlyList<Answer> Acknowledged() => [.. _answers.Where(a => a.Status == 202)];

    /// <summary>How many activities sent after <paramref name="since"/> (on the load's clock) were acknowledged.</summary>
    public int AcknowledgedAfter(TimeSpan since) => _answers.Count(a => a.Status == 202 && a.Sent > since);

    /// <summary>Keeps the load running until <paramref name="done"/> holds for its answers: a phase of a fault test ends on what happened, not on a timer.</summary>
    public Task UntilAsync(Func<IReadOnlyCollection<Answer>, bool> done, string waitingFor) =>
        Eventually.True(() => done(_answers), waitingFor, TimeSpan.FromSeconds(120));

    public string Summary()
    {
        var refused = _answers.Where(a => a.Status != 202).ToList();
        return $"{_answers.Count} requests: {_answers.Count - refused.Count} acknowledged, {refused.Count} refused ({100.0 * refused.Count / _answers.Count:0.0}%: " +
            $"{string.Join(", ", refused.GroupBy(a => (a.Status, Title: Title(a.Body))).Select(g => $"{g.Key.Status}{g.Key.Title} x{g.Count()}"))}); slowest answer {_answers.Max(a => a.Took.TotalSeconds):0.00} s";
    }

    /// <summary>The problem's title, in quotes, or nothing when the answer was not problem+json.</summary>
    private static string Title(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("title", out var title) ? $" \"{title.GetString()}\"" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>
    /// Sends every acknowledged activity again (same lead, same id) and returns how many the leads took as new:
    /// zero when each was stored. Call it on a cluster whose processes restarted, so that leads read what was stored.
    /// </summary>
    public async Task<int> AcceptedAgainAsync(HttpClient api)
    {
        var accepted = 0;
        foreach (var chunk in Acknowledged().Chunk(1_000))
        {
            using var response = await api.PostAsJsonAsync("/api/leads/activities/batch", new
            {
                activities = chunk.Select(a => new { lead_id = a.Lead, activity_id = a.Id, type = "page_view", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-1) }),
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray();
            accepted += results.Sum(r => r.GetProperty("accepted").GetInt32());
        }

        return accepted;
    }

    private async Task Work(HttpClient api, int worker)
    {
        var random = new Random(worker);
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var lead = $"lead-{random.Next(Leads)}";
            var id = $"w{worker}-{n}";
            var sent = _clock.Elapsed;
            try
            {
                using var response = await api.PostAsJsonAsync($"/api/leads/{lead}/activities", new
                {
                    activities = new[] { new { activity_id = id, type = "page_view", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-1) } },
                });
                _answers.Add(new Answer(lead, id, (int)response.StatusCode, response.Headers.RetryAfter is not null, sent, _clock.Elapsed - sent,
                    await response.Content.ReadAsStringAsync()));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // No answer at all (the API process died, or nothing came within the client's 30 s): status 0.
                _answers.Add(new Answer(lead, id, 0, false, sent, _clock.Elapsed - sent, e.Message));
            }
        }
    }

    public sealed record Answer(string Lead, string Id, int Status, bool RetryAfter, TimeSpan Sent, TimeSpan Took, string Body)
    {
        public override string ToString() => $"{Status} at {Sent.TotalSeconds:0.00} s after {Took.TotalSeconds:0.00} s for {Lead}/{Id}: {Body[..Math.Min(300, Body.Length)]}";
    }
}
