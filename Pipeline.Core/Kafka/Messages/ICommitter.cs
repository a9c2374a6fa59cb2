using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Messages;

/// <summary>The consumer that owns some offsets and can commit them (implemented by the source's consumer).</summary>
internal interface ICommitter
{
    /// <summary>Commits the next offsets to read; partitions no longer assigned are left out, never committed.</summary>
    Task CommitAsync(IReadOnlyList<TopicPartitionOffset> nextOffsets);
}
