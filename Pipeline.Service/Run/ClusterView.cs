using Akka.Actor;
using Akka.Cluster.Sharding;
using Pipeline.Core.UseCaseRuntime;

namespace Pipeline.Service.Run;

/// <summary>
/// What <c>/admin/cluster</c> shows: the members with their roles, where each use case's shards live (one shard per
/// partition of the transactions topic, placed on the node that consumes it), and the partitions this node's streams are
/// assigned.
/// </summary>
internal sealed record ClusterView(string Self, string? Leader, IReadOnlyList<MemberView> Members, IReadOnlyList<ShardsView> Shards, IReadOnlyList<PartitionsView> Partitions)
{
    public static async Task<ClusterView> ReadAsync(PipelineNode node, TimeSpan timeout)
    {
        var cluster = Akka.Cluster.Cluster.Get(node.System);
        var state = cluster.State;
        var members = state.Members.Select(m => new MemberView(m.Address.ToString(), m.Status.ToString(), m.Roles.Order(StringComparer.Ordinal).ToList(),
            m.Address == cluster.SelfAddress, state.Unreachable.Contains(m))).ToList();
        var shards = await Task.WhenAll(node.UseCases.Keys.Select(key => ShardsOf(node.System, key, timeout)));
        var partitions = node.Streams.Select(s => new PartitionsView(s.Name,
            s.Control?.Metrics.AssignedPartitions.Select(p => $"{p.Topic}[{p.Partition.Value}]").Order(StringComparer.Ordinal).ToList() ?? [])).ToList();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members, shards, partitions);
    }

    private static async Task<ShardsView> ShardsOf(ActorSystem system, string key, TimeSpan timeout)
    {
        try
        {
            var region = ClusterSharding.Get(system).ShardRegion(UseCaseShardRegion.TypeName(key));
            var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + timeout);
            var nodes = stats.Regions.Select(r => new NodeShards(r.Key.ToString(),
                r.Value.Stats.OrderBy(s => int.TryParse(s.Key, out var n) ? n : int.MaxValue).ThenBy(s => s.Key, StringComparer.Ordinal)
                    .ToDictionary(s => s.Key, s => s.Value))).OrderBy(n => n.Node, StringComparer.Ordinal).ToList();
            return new ShardsView(key, nodes, null);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or ArgumentException or InvalidOperationException)
        {
            return new ShardsView(key, [], $"No shard statistics within {timeout}: {e.Message}");
        }
    }
}

/// <summary>A cluster member.</summary>
internal sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Self, bool Unreachable);

/// <summary>Where a use case's shards live, with the entities alive in each.</summary>
internal sealed record ShardsView(string UseCase, IReadOnlyList<NodeShards> Nodes, string? Error);

/// <summary>One node's shards of a use case: shard id (the partition) to entities alive.</summary>
internal sealed record NodeShards(string Node, IReadOnlyDictionary<string, int> Shards);

/// <summary>The partitions one stream of this node consumes.</summary>
internal sealed record PartitionsView(string Stream, IReadOnlyList<string> Partitions);
