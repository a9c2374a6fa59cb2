using Confluent.Kafka;

namespace Pipeline.Core.Kafka;

/// <summary>Kafka refused or failed to acknowledge a produced record; the producer stage fails rather than continue past it.</summary>
public sealed class KafkaProduceException(string message, Error error, Exception? inner = null) : Exception(message, inner)
{
    public Error Error { get; } = error;
}
