using Confluent.Kafka;

namespace Pipeline.Core.DeadLetters;

/// <summary>Where a rejected record was read: topic, partition and offset.</summary>
public sealed record DeadLetterSource(string Topic, int Partition, long Offset)
{
    /// <summary>The same position as Kafka's client names it.</summary>
    public TopicPartitionOffset Position => new(Topic, new Confluent.Kafka.Partition(Partition), new Confluent.Kafka.Offset(Offset));
}
