using System.Text;
using System.Text.Json;
using Avro.Generic;
using Confluent.Kafka;

namespace Pipeline.Service.Printing;

/// <summary>
/// One Kafka record as one readable JSON line: position, timestamp, key, headers as text, and the value: an Avro record
/// decoded through the registry as a JSON object, JSON text as it is, anything else as base64.
/// </summary>
internal static class RecordJson
{
    public static string Write(ConsumeResult<byte[]?, byte[]?> result, GenericRecord? avro)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("topic", result.Topic);
            json.WriteNumber("partition", result.Partition.Value);
            json.WriteNumber("offset", result.Offset.Value);
            json.WriteString("timestamp", result.Message.Timestamp.UtcDateTime);
            json.WriteString("key", result.Message.Key is { } key ? Encoding.UTF8.GetString(key) : null);
            json.WriteStartObject("headers");
            foreach (var header in result.Message.Headers ?? [])
                json.WriteString(header.Key, Encoding.UTF8.GetString(header.GetValueBytes()));
            json.WriteEndObject();
            json.WritePropertyName("value");
            if (avro is not null)
                WriteAvro(json, avro);
            else
                WriteBytes(json, result.Message.Value);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteBytes(Utf8JsonWriter json, byte[]? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(value);
            document.WriteTo(json);
        }
        catch (JsonException)
        {
            json.WriteStartObject();
            json.WriteString("base64", Convert.ToBase64String(value));
            json.WriteEndObject();
        }
    }

    private static void WriteAvro(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case GenericRecord record:
                json.WriteStartObject();
                foreach (var field in record.Schema.Fields)
                {
                    json.WritePropertyName(field.Name);
                    WriteAvro(json, record.GetValue(field.Pos));
                }
                json.WriteEndObject();
                break;
            case GenericEnum symbol: json.WriteStringValue(symbol.Value); break;
            case string text: json.WriteStringValue(text); break;
            case bool flag: json.WriteBooleanValue(flag); break;
            case int number: json.WriteNumberValue(number); break;
            case long number: json.WriteNumberValue(number); break;
            case float number: json.WriteNumberValue(number); break;
            case double number: json.WriteNumberValue(number); break;
            case DateTime time: json.WriteStringValue(DateTime.SpecifyKind(time, DateTimeKind.Utc)); break;
            case byte[] bytes: json.WriteStringValue(Convert.ToBase64String(bytes)); break;
            case System.Collections.IDictionary map:
                json.WriteStartObject();
                foreach (System.Collections.DictionaryEntry entry in map)
                {
                    json.WritePropertyName(entry.Key.ToString()!);
                    WriteAvro(json, entry.Value);
                }
                json.WriteEndObject();
                break;
            case System.Collections.IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items)
                    WriteAvro(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(value.ToString()); break;
        }
    }
}
