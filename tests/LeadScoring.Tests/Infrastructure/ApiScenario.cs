using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Simulation;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>What the HTTP tests do over and over: post a simulated lead, run a training job to its end.</summary>
public static class ApiScenario
{
    /// <summary>The lead, its activities and its outcome (when it has one), each through its endpoint.</summary>
    public static async Task PostLeadAsync(HttpClient api, SimulatedLead lead)
    {
        (await api.PostAsJsonAsync("/api/leads", new
        {
            lead_id = lead.LeadId,
            attributes = WireAttributes(lead),
        })).EnsureSuccessStatusCode();
        if (lead.Activities.Count > 0)
        {
            (await api.PostAsJsonAsync($"/api/leads/{lead.LeadId}/activities", new
            {
                activities = lead.Activities.Select(a => new { activity_id = a.ActivityId, type = a.Type.ToWireName(), occurred_at = a.OccurredAt }),
            })).EnsureSuccessStatusCode();
        }

        if (lead.Outcome is { } outcome)
        {
            (await api.PostAsJsonAsync($"/api/leads/{lead.LeadId}/outcome", new { converted = outcome.Converted })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>A lead's attributes as a client sends them: numbers as numbers, the rest as text.</summary>
    public static Dictionary<string, object> WireAttributes(SimulatedLead lead) =>
        lead.Attributes.ToDictionary(a => a.Key, a => a.Value.Kind == LeadAttributeKind.Number ? (object)a.Value.Number : a.Value.ToString());

    /// <summary>A workspace's history: <paramref name="count"/> simulated leads of <paramref name="seed"/>, each posted with its activities and outcome.</summary>
    public static async Task<List<SimulatedLead>> PostHistoryAsync(HttpClient api, int count, int seed)
    {
        var leads = SyntheticCrm.Generate(count, seed, DateTimeOffset.UtcNow).ToList();
        foreach (var lead in leads)
        {
            await PostLeadAsync(api, lead);
        }

        return leads;
    }

    /// <summary>Trains on the workspace's history and requires the job to succeed; its last status.</summary>
    public static async Task<JsonElement> TrainOnHistoryAsync(HttpClient api)
    {
        var job = await TrainAsync(api, null);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        return job;
    }

    /// <summary>Starts a job (a CSV upload, or the workspace's history when <paramref name="csv"/> is null) and waits for it to end.</summary>
    public static async Task<JsonElement> TrainAsync(HttpClient api, string? csv)
    {
        using var response = csv is null
            ? await api.PostAsJsonAsync("/api/ai/scoring/model/train", new { source = "history" })
            : await api.PostAsync("/api/ai/scoring/model/train", new MultipartFormDataContent
            {
                { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "leads.csv" },
                { new StringContent("converted"), "label" },
            });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await WaitForJobAsync(api, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status_url").GetString()!);
    }

    /// <summary>Polls a job (training, import) until it is no longer running; its last status.</summary>
    public static Task<JsonElement> WaitForJobAsync(HttpClient api, string statusUrl) =>
        Eventually.Until(() => api.GetFromJsonAsync<JsonElement>(statusUrl), status => status.GetProperty("state").GetString() != "running",
            $"job {statusUrl} to end", TimeSpan.FromMinutes(5));
}
