using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Settings;

/// <summary>
/// Hears partition assignment changes of a source. Called on the consumer's poll thread during the
/// rebalance, so keep it quick; a throwing listener is logged and ignored.
/// </summary>
public interface IPartitionEventListener
{
    void OnAssigned(IReadOnlyList<TopicPartition> partitions);

    /// <summary>The partitions are about to be released; emitted records have been committed or dropped from commits.</summary>
    void OnRevoked(IReadOnlyList<TopicPartition> partitions);

    /// <summary>The partitions were lost without a clean revocation (e.g. session timeout); nothing more is committed for them.</summary>
    void OnLost(IReadOnlyList<TopicPartition> partitions);
}
