using Confluent.Kafka;

namespace Pipeline.Core.Kafka;

/// <summary>A snapshot of a source's consumer: its partitions, records consumed, and lag per partition.</summary>
public sealed record ConsumerMetrics(
    IReadOnlyList<TopicPartition> AssignedPartitions,
    long ConsumedRecords,
    IReadOnlyDictionary<TopicPartition, long> LagPerPartition,
    long CommitsDroppedForRevokedPartitions)
{
    public long TotalLag => LagPerPartition.Values.Sum();
}
