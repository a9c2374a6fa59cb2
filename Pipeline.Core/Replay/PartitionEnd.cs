using Confluent.Kafka;

namespace Pipeline.Core.Replay;

/// <summary>A partition's offsets at one moment, and the Kafka timestamp of its last record (null when it holds none).</summary>
/// <param name="Low">The oldest offset the broker still holds.</param>
/// <param name="High">The high watermark: the offset the next record will get.</param>
public sealed record PartitionEnd(TopicPartition Partition, long Low, long High, DateTimeOffset? LastTimestamp);
