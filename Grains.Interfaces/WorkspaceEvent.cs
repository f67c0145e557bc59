using System.Buffers;
using System.Text;
using System.Text.Json;
using Orleans.Runtime;

namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// Something that happened in a workspace, as webhooks, server-sent events and the cluster's own consumers see
/// it. <see cref="Data"/> is the event's JSON object; no event carries personal data, only ids and scores.
/// </summary>
/// <param name="Id">Unique and sortable by the time it was made: "evt_" and 26 characters of Crockford base32.</param>
/// <param name="Type">One of <see cref="EventTypes"/>.</param>
/// <param name="LeadId">The lead the event is about, if any.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.WorkspaceEvent")]
public sealed record WorkspaceEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string Workspace,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] string? LeadId,
    [property: Id(5)] string Data)
{
    /// <summary>
    /// Where the event stands in the order the cluster published its events in (0 until published): a reader
    /// that saw every event up to a position and resumes after it misses nothing and sees nothing twice.
    /// </summary>
    [Id(6)]
    public long Position { get; init; }

    /// <summary>
    /// The event as webhooks and server-sent events carry it:
    /// <c>{"id", "type", "workspace", "occurred_at", "data": {...}}</c>.
    /// </summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(Data.Length + 160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", Id);
            writer.WriteString("type", Type);
            writer.WriteString("workspace", Workspace);
            writer.WriteString("occurred_at", OccurredAt);
            writer.WritePropertyName("data");
            writer.WriteRawValue(Data, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>The event types, as they appear in <see cref="WorkspaceEvent.Type"/>.</summary>
public static class EventTypes
{
    public const string LeadScored = "lead.scored";
    public const string LeadGradeChanged = "lead.grade_changed";
    public const string LeadCreated = "lead.created";
    public const string LeadErased = "lead.erased";
    public const string ModelPromoted = "model.promoted";
    public const string ModelRolledBack = "model.rolled_back";
    public const string DriftAlert = "drift.alert";
    public const string RetrainingDecided = "retraining.decided";
    public const string ExperimentStopped = "experiment.stopped";
    public const string WebhookDisabled = "webhook.disabled";

    /// <summary>A webhook's test delivery; never stored or streamed.</summary>
    public const string Ping = "ping";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        LeadScored, LeadGradeChanged, LeadCreated, LeadErased, ModelPromoted, ModelRolledBack, DriftAlert, RetrainingDecided,
        ExperimentStopped, WebhookDisabled,
    };
}

/// <summary>A workspace's events as its stream carries them: those published together, in their order.</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.EventBatch")]
public sealed record EventBatch([property: Id(0)] IReadOnlyList<WorkspaceEvent> Events);

/// <summary>The Orleans streams events travel on inside the cluster: one per workspace, of <see cref="EventBatch"/>es.</summary>
public static class EventStreams
{
    /// <summary>The stream provider's name, in silos and clients alike.</summary>
    public const string Provider = "events";

    /// <summary>The namespace of the workspaces' streams; the stream's key is the workspace.</summary>
    public const string Namespace = "workspace-events";

    public static StreamId Of(string workspace) => StreamId.Create(Namespace, workspace);
}

/// <summary>A page of published events read back from the outbox, oldest first.</summary>
/// <param name="Complete">False when more events follow the page's last.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.EventPage")]
public sealed record EventPage([property: Id(0)] IReadOnlyList<WorkspaceEvent> Events, [property: Id(1)] bool Complete);
