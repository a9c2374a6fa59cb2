using Akka.Actor;
using Akka.Cluster;
using Akka.Discovery;
using Akka.Event;

namespace Pipeline.Core.Hosting;

/// <summary>Joining the Akka cluster the node's entities live in.</summary>
public static class PipelineCluster
{
    private static readonly TimeSpan LookupInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Joins the cluster and waits until this member is Up: with seed nodes found through Akka.Discovery when the
    /// settings say so, otherwise the configured <c>akka.cluster.seed-nodes</c>, or the node itself when that is empty.
    /// </summary>
    /// <exception cref="TimeoutException">The node was not Up within the join timeout; the message names how it tried.</exception>
    public static async Task JoinAsync(ActorSystem system, ClusterJoinSettings settings)
    {
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        using var deadline = new CancellationTokenSource(settings.Timeout);
        var how = "";
        try
        {
            if (settings.UseDiscovery)
            {
                var seeds = await DiscoverSeedsAsync(system, settings, deadline.Token).ConfigureAwait(false);
                how = $"the discovered seed nodes [{string.Join(", ", seeds)}] did not admit it";
                cluster.JoinSeedNodes(seeds);
            }
            else if (cluster.Settings.SeedNodes.Count == 0)
            {
                how = "it could not join itself";
                cluster.Join(cluster.SelfAddress);
            }
            else
                how = $"none of the seed nodes [{string.Join(", ", cluster.Settings.SeedNodes)}] admitted it";
            await up.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(
                $"This node ({cluster.SelfAddress}) did not join the cluster within {settings.Timeout}: {how}. " +
                "Check that the other nodes run and that akka.remote hostname and port are reachable from them.");
        }
    }

    /// <summary>
    /// Seed nodes from discovery: the remoting endpoints of the service's nodes, once at least the required number are
    /// found and the set stayed the same for the stable margin, sorted so that every node agrees the lowest address
    /// forms a new cluster (Akka joins a seed list's first node to itself only when it is that node).
    /// </summary>
    private static async Task<IReadOnlyList<Address>> DiscoverSeedsAsync(ActorSystem system, ClusterJoinSettings settings, CancellationToken cancellation)
    {
        var discovery = Discovery.Get(system).Default;
        var self = Cluster.Get(system).SelfAddress;
        var lookup = new Lookup(settings.ServiceName, settings.PortName, "tcp");
        IReadOnlyList<Address> last = [];
        var stableSince = DateTime.UtcNow;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                var resolved = await discovery.Lookup(lookup, LookupInterval).ConfigureAwait(false);
                var found = resolved.Addresses
                    .Where(target => target.Port is not null)
                    .Select(target => new Address(self.Protocol, self.System, target.Address?.ToString() ?? target.Host, target.Port))
                    .Distinct().OrderBy(a => a.Host, StringComparer.Ordinal).ThenBy(a => a.Port).ToList();
                if (!found.SequenceEqual(last))
                    (last, stableSince) = (found, DateTime.UtcNow);
                else if (found.Count >= settings.RequiredContactPoints && DateTime.UtcNow - stableSince >= settings.StableMargin)
                    return found;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                system.Log.Warning("Cluster discovery of '{0}' failed ({1}); retrying", settings.ServiceName, e.Message);
            }
            await Task.Delay(LookupInterval, cancellation).ConfigureAwait(false);
        }
    }
}
