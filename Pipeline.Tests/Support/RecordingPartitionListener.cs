using System.Collections.Concurrent;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Tests.Support;

/// <summary>Records a source's partition events in order ("assigned 4", "revoked 2", "lost 4") and which partitions were revoked.</summary>
public sealed class RecordingPartitionListener : IPartitionEventListener
{
    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentDictionary<TopicPartition, bool> Revoked { get; } = new();

    public void OnAssigned(IReadOnlyList<TopicPartition> partitions) => Events.Enqueue($"assigned {partitions.Count}");

    public void OnRevoked(IReadOnlyList<TopicPartition> partitions)
    {
        Events.Enqueue($"revoked {partitions.Count}");
        foreach (var p in partitions)
            Revoked[p] = true;
    }

    public void OnLost(IReadOnlyList<TopicPartition> partitions) => Events.Enqueue($"lost {partitions.Count}");
}
