using System.Text;
using Akka.Cluster.Sharding;


namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// Maps a transaction to its customer's entity, and the customer to the shard numbered like the Kafka partition
/// its records are on (murmur2 of the customer id, the key upstream writes with), so that shard placement can
/// follow partition assignment.
/// </summary>
public sealed class CustomerShardExtractor(int partitions) : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        EvaluateTransaction evaluate => evaluate.Transaction.CustomerId,
        _ => null
    };

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => message switch
    {
        EvaluateTransaction evaluate => ShardOf(evaluate.Transaction.CustomerId),
        _ => null
    };

    public string ShardId(string entityId, object? messageHint = null) => ShardOf(entityId);

    /// <summary>The shard id of a customer: its Kafka partition number.</summary>
    public string ShardOf(string customerId) =>
        Murmur2Partitioner.PartitionOf(Encoding.UTF8.GetBytes(customerId), partitions).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
