using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Internal;

/// <summary>What the poll thread tells the stage that owns it. Implementations marshal onto the stage (async callbacks).</summary>
internal interface IPumpEvents
{
    void Assigned(IReadOnlyList<TopicPartition> partitions);

    void Revoked(IReadOnlyList<TopicPartition> partitions);

    void Failed(Exception cause);
}
