using Akka.Actor;
using Akka.Cluster;

namespace Pipeline.Core.Hosting;

/// <summary>Joining the Akka cluster the node's entities live in.</summary>
public static class PipelineCluster
{
    /// <summary>
    /// Joins the configured seed nodes, or the node itself when <c>akka.cluster.seed-nodes</c> is empty, and waits
    /// until this member is Up.
    /// </summary>
    /// <exception cref="TimeoutException">The node was not Up within <paramref name="timeout"/>; the message names the seeds.</exception>
    public static async Task JoinAsync(ActorSystem system, TimeSpan timeout)
    {
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        var seeds = cluster.Settings.SeedNodes;
        if (seeds.Count == 0)
            cluster.Join(cluster.SelfAddress);
        try
        {
            await up.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"This node ({cluster.SelfAddress}) did not join the cluster within {timeout}: " +
                (seeds.Count == 0 ? "it could not join itself." : $"none of the seed nodes [{string.Join(", ", seeds)}] admitted it; check that they run and that akka.remote hostname/port are reachable."));
        }
    }
}
