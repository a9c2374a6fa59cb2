using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Sharding.External;
using Pipeline.Core.Hosting;
using Pipeline.Core.UseCases;
using Pipeline.Core.UseCaseRuntime.Python;

namespace Pipeline.Core.UseCaseRuntime;

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
        // A Python use case's Evaluate waits on its worker (up to the evaluate timeout): on the shared thread pool its waiting
        // entities would hold threads every stream needs, so it gets a dispatcher of its own unless one is named.
        if (dispatcher.Length == 0 && variants.Any(v => v.UseCase is PythonUseCase))
            dispatcher = UseCaseDispatcher.Own;
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
