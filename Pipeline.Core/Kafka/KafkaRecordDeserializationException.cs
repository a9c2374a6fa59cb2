using Confluent.Kafka;

namespace Pipeline.Core.Kafka;

/// <summary>
/// A record's key or value could not be deserialised. Carries the record's position and raw bytes, so a
/// dead-letter stage can keep it; the consumer thread itself keeps running.
/// </summary>
public sealed class KafkaRecordDeserializationException(string message, TopicPartitionOffset position, byte[]? rawKey, byte[]? rawValue, Exception inner)
    : Exception(message, inner)
{
    public TopicPartitionOffset Position { get; } = position;

    public byte[]? RawKey { get; } = rawKey;

    public byte[]? RawValue { get; } = rawValue;

    internal static KafkaRecordDeserializationException From(ConsumeException e)
    {
        var record = e.ConsumerRecord;
        var part = e.Error.Code == ErrorCode.Local_KeyDeserialization ? "key" : "value";
        return new KafkaRecordDeserializationException(
            $"Could not deserialise the {part} of the record at {record.TopicPartitionOffset}: {e.InnerException?.Message ?? e.Error.Reason}. " +
            "Route such records to dead letters by consuming bytes and deserialising in a stage.",
            record.TopicPartitionOffset, record.Message?.Key, record.Message?.Value, e);
    }
}
