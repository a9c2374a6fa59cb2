using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Messages;

/// <summary>A record read by a transactional source; its offset is committed inside the producing transaction.</summary>
internal sealed record TransactionalMessage<TKey, TValue>(ConsumeResult<TKey, TValue> Record, PartitionOffset PartitionOffset);

/// <summary>A consumed offset and the consumer group it belongs to, for <c>SendOffsetsToTransaction</c>.</summary>
internal sealed class PartitionOffset
{
    internal PartitionOffset(TopicPartitionOffset offset, IConsumerGroupMetadataSource group)
    {
        Offset = offset;
        Group = group;
    }

    /// <summary>The consumed record's own offset.</summary>
    public TopicPartitionOffset Offset { get; }

    internal IConsumerGroupMetadataSource Group { get; }
}

/// <summary>Gives the consumer group metadata a transaction must carry to commit the consumer's offsets.</summary>
internal interface IConsumerGroupMetadataSource
{
    IConsumerGroupMetadata GroupMetadata { get; }

    /// <summary>Told once a transaction committed these next offsets, so revocation knows they are safe.</summary>
    void OnTransactionCommitted(IEnumerable<TopicPartitionOffset> nextOffsets);
}
