using Akka.Actor;
using Akka.Cluster;
using Pipeline.Core.Configuration;
using Pipeline.Core.Hosting;
using Pipeline.Service.Bench;

namespace Pipeline.Tests.Hosting;

/// <summary>
/// Two nodes form a cluster from discovered seed nodes, the path the Helm chart uses. Kubernetes API discovery cannot
/// run here (no API server), so discovery is Akka's config method listing the two remoting endpoints; what follows
/// discovery (waiting for a stable set, agreeing on the lowest address, joining) is the code production runs.
/// </summary>
public sealed class ClusterDiscoveryTests
{
    [Fact]
    public async Task Two_nodes_discover_each_other_and_form_one_cluster()
    {
        var remoting = new[] { LoopbackPorts.Free(), LoopbackPorts.Free() };
        var endpoints = string.Join(", ", remoting.Select(p => $"\"127.0.0.1:{p}\""));
        string[] sets =
        [
            "pipeline.cluster.join=discovery",
            "pipeline.cluster.discovery.required-contact-points=2",
            "pipeline.cluster.discovery.stable-margin=1s",
            "akka.discovery.method=config",
            $"akka.discovery.config.services.pipeline.endpoints=[{endpoints}]"
        ];
        var systems = remoting.Select(port => ActorSystem.Create("pipeline",
            PipelineConfig.Load(null, [.. sets, $"akka.remote.dot-netty.tcp.port={port}"], new Dictionary<string, string>()).Root)).ToList();
        try
        {
            var join = ClusterJoinSettings.Create(PipelineConfig.Load(null, sets, new Dictionary<string, string>()).Section("pipeline.cluster"));
            Assert.True(join.UseDiscovery);
            await Task.WhenAll(systems.Select(s => PipelineCluster.JoinAsync(s, join)));

            // A node's join completes once it is Up itself; the gossip that shows it the other one Up may come a moment later.
            foreach (var system in systems)
            {
                int Up() => Cluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up);
                for (var waited = TimeSpan.Zero; Up() < 2 && waited < TimeSpan.FromSeconds(20); waited += TimeSpan.FromMilliseconds(100))
                    await Task.Delay(100);
                Assert.Equal(2, Up());
            }
        }
        finally
        {
            await Task.WhenAll(systems.Select(s => s.Terminate()));
        }
    }
}
