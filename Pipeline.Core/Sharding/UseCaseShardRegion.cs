using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Sharding.External;
using Pipeline.Core.Hosting;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.Sharding;

/// <summary>
/// The shard region of one use case: one entity per customer, one shard per Kafka partition of the transactions topic.
/// Shards are placed by <see cref="ExternalShardAllocationStrategy"/>: each shard goes to the node whose use-case
/// stream consumes its partition (<see cref="ShardsFollowPartitions"/> publishes that), so asks stay local. The region lives
/// on the nodes with the use case's role (<see cref="NodeRoles.UseCaseRole"/>), so its coordinator runs on one of them
/// even when the cluster's oldest node does not run the use case.
/// </summary>
public static class UseCaseShardRegion
{
    /// <summary>The region's type name, e.g. <c>use-case-duplicate-charge</c>.</summary>
    public static string TypeName(string useCaseKey) => $"use-case-{useCaseKey}";

    /// <summary>Starts the region (or returns the running one) of the use case whose variants are given.</summary>
    /// <param name="passivateAfter">Entities idle this long stop; their state is rebuilt from history when needed again.</param>
    /// <param name="dispatcher">The dispatcher entities run on: <see cref="UseCaseDispatcher.Own"/>, a configured dispatcher's path, or empty for Akka's default.</param>
    public static Task<IActorRef> StartAsync(
        ActorSystem system, IReadOnlyList<ConfiguredUseCase> variants, TransactionHistory history, int partitions, TimeSpan passivateAfter,
        string dispatcher = "")
    {
        var key = variants[0].UseCase.ConfigKey;
        // Getting the extension first loads sharding's default configuration, which the settings read.
        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system).WithPassivateIdleAfter(passivateAfter).WithRole(NodeRoles.UseCaseRole(key));
        var dispatcherId = UseCaseDispatcher.Resolve(system, key, dispatcher);
        return sharding.StartAsync(
            TypeName(key),
            customerId => dispatcherId.Length == 0
                ? CustomerEntity.Props(customerId, variants, history)
                : CustomerEntity.Props(customerId, variants, history).WithDispatcher(dispatcherId),
            settings,
            new CustomerShardExtractor(partitions),
            new ExternalShardAllocationStrategy(system, TypeName(key)),
            PoisonPill.Instance);
    }
}
