using Akka.Cluster.Hosting;
using Akka.Event;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Core.Configuration;

namespace Pipeline.Service.Run;

/// <summary>
/// The Generic Host a node's actor system lives in. Akka.Hosting creates the actor system from the node's HOCON
/// (config/pipeline.conf with its overrides, the single source of every Akka setting), Akka.Cluster.Hosting makes it a
/// cluster member announcing the node's roles, and stopping the host runs CoordinatedShutdown (hand over shards, leave).
/// Hosted services stop in the reverse order of registration, so the node's <see cref="NodeDrain"/>, registered after
/// Akka, drains and commits the streams before the actor system shuts down.
/// </summary>
internal static class NodeHost
{
    /// <summary>The actor system's name; every node of a cluster must use the same.</summary>
    public const string SystemName = "pipeline";

    /// <param name="akka">The node's whole configuration; its <c>akka</c> section configures the actor system.</param>
    /// <param name="roles">The cluster roles the node announces (see <c>NodeRoles</c>).</param>
    /// <param name="drainDeadline">How long the streams may take to drain; CoordinatedShutdown gets as long again.</param>
    public static IHost Build(Config akka, IReadOnlyList<string> roles, TimeSpan drainDeadline)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // The command owns SIGINT/SIGTERM (ShutdownSignal) and stops the host itself once its own work is stopped.
        builder.Services.AddSingleton<IHostLifetime, CommandOwnedLifetime>();
        // At least the drain deadline: draining comes first, then CoordinatedShutdown, each given as long.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = drainDeadline * 2);
        // Our HOCON goes over what Akka.Cluster.Hosting adds, and the roles over it. The roles are given as HOCON because
        // ClusterOptions.Roles writes them unquoted, which fails on the ':' of "use-case:KEY".
        builder.Services.AddAkka(SystemName, configuration => configuration
            .WithClustering()
            .AddHocon(akka.WithFallback(Akka.Discovery.KubernetesApi.KubernetesDiscovery.DefaultConfiguration()), HoconAddMode.Prepend)
            .AddHocon($"akka.cluster.roles = [{string.Join(", ", roles.Select(HoconText.Quote))}]", HoconAddMode.Prepend));
        builder.Services.AddSingleton(services => new NodeDrain(drainDeadline, message => services.GetRequiredService<Akka.Actor.ActorSystem>().Log.Warning(message)));
        builder.Services.AddHostedService(services => services.GetRequiredService<NodeDrain>());
        return builder.Build();
    }

    /// <summary>A lifetime that neither waits for nor reacts to console signals.</summary>
    private sealed class CommandOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
