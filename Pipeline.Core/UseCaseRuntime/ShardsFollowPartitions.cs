using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding.External;
using Akka.Event;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// Moves a use case's shards to the node that consumes their partitions: when this node's use-case stream is assigned
/// partitions, their shards' location becomes this node (Akka.Cluster.Sharding.External, the model being Alpakka
/// Kafka's cluster sharding module). The stream then asks entities in its own process, without a network hop.
/// </summary>
public sealed class ShardsFollowPartitions(ActorSystem system, string typeName) : IPartitionEventListener
{
    private readonly IExternalShardAllocationClient _client = ExternalShardAllocation.Get(system).ClientFor(typeName);

    public void OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        var self = Cluster.Get(system).SelfAddress;
        var locations = partitions.ToImmutableDictionary(p => p.Partition.Value.ToString(CultureInfo.InvariantCulture), _ => self);
        // Not awaited: the listener runs on the consumer's poll thread. A failed update only costs remote asks.
        _client.UpdateShardLocations(locations).ContinueWith(
            update => system.Log.Warning("Could not move the shards of {0} [{1}] to this node: {2}",
                typeName, string.Join(",", locations.Keys), update.Exception?.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    public void OnRevoked(IReadOnlyList<TopicPartition> partitions)
    {
        // The node that is assigned them next claims their shards.
    }

    public void OnLost(IReadOnlyList<TopicPartition> partitions)
    {
        // As for revocation.
    }
}
