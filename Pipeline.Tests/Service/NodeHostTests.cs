using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Core.Configuration;
using Pipeline.Core.Hosting;
using Pipeline.Service.Run;

namespace Pipeline.Tests.Service;

/// <summary>
/// The node's Generic Host: Akka.Hosting builds the actor system from config/pipeline.conf (with overrides), and stopping the
/// host drains first, then runs CoordinatedShutdown.
/// </summary>
public sealed class NodeHostTests
{
    private static PipelineConfig Config(params string[] sets) => PipelineConfig.Load(null, sets, new Dictionary<string, string>());

    [Fact]
    public async Task The_actor_system_takes_its_settings_from_the_pipeline_configuration_and_announces_the_node_roles()
    {
        var roles = NodeRoles.UseCasesOnly("unusual-tip").Announced;
        using var host = NodeHost.Build(Config("akka.cluster.split-brain-resolver.stable-after=7s").Root, roles, TimeSpan.FromSeconds(5));
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        try
        {
            var config = system.Settings.Config;
            Assert.Equal(NodeHost.SystemName, system.Name);
            Assert.Equal(["Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog"], system.Settings.Loggers);
            Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
            Assert.Equal(TimeSpan.FromSeconds(7), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
            Assert.False(config.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
            Assert.Contains("use-case:unusual-tip", Cluster.Get(system).SelfRoles);
            Assert.Equal(TimeSpan.FromSeconds(10), host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Stopping_the_host_drains_while_the_node_is_still_a_member_then_leaves_the_cluster()
    {
        using var host = NodeHost.Build(Config().Root, NodeRoles.UseCasesOnly("unusual-tip").Announced, TimeSpan.FromSeconds(5));
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        await PipelineCluster.JoinAsync(system, new ClusterJoinSettings(false, "", "", 1, TimeSpan.Zero, TimeSpan.FromSeconds(30)));
        MemberStatus? statusWhileDraining = null;
        var drainDeadline = TimeSpan.Zero;
        host.Services.GetRequiredService<NodeDrain>().Set(async deadline =>
        {
            await Task.Delay(200);
            statusWhileDraining = Cluster.Get(system).SelfMember.Status;
            drainDeadline = deadline;
        });

        await host.StopAsync();

        Assert.Equal(MemberStatus.Up, statusWhileDraining);
        Assert.Equal(TimeSpan.FromSeconds(5), drainDeadline);
        Assert.True(system.WhenTerminated.IsCompleted, "CoordinatedShutdown did not terminate the actor system after the drain");
        Assert.Equal(CoordinatedShutdown.ClrExitReason.Instance, CoordinatedShutdown.Get(system).ShutdownReason);
    }
}
