using System.Buffers;
using System.Text;
using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Events;

/// <summary>Events as the system makes them: a new id, and the <c>data</c> object written property by property.</summary>
public static class EventData
{
    public static WorkspaceEvent Event(string type, string workspace, DateTimeOffset at, string? leadId, Action<Utf8JsonWriter> write) =>
        new(EventIds.New(at), type, workspace, at, leadId, Json(write));

    public static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
