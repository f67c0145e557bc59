using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LeadScoring.Grains.Events;

/// <summary>The <c>data</c> object of an event, written property by property.</summary>
public static class EventData
{
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
