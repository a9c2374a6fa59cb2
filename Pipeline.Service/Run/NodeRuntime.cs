using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Streams;
using Confluent.SchemaRegistry;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage.Providers;
using Pipeline.Core.Storage;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Pipeline.Service.Run;

/// <summary>
/// What every process that evaluates use cases needs (`pipeline run`, `replay`, `backfill`): the history store, the schema
/// registry client, an actor system that is an Up cluster member (sharding needs one) with its materializer, and the
/// customer-settings table. The actor system lives in the node's Generic Host (<see cref="NodeHost"/>).
/// </summary>
internal sealed class NodeRuntime : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly NodeDrain _drain;
    private readonly ConsumerControl _customersControl;

    private NodeRuntime(IHost host, ActorSystem system, IHistoryStore store, ISchemaRegistryClient registry, IMaterializer materializer,
        CustomerSettingsTable customers, ConsumerControl customersControl)
    {
        _host = host;
        _drain = host.Services.GetRequiredService<NodeDrain>();
        System = system;
        Store = store;
        Registry = registry;
        Materializer = materializer;
        Customers = customers;
        _customersControl = customersControl;
    }

    public ActorSystem System { get; }

    public IHistoryStore Store { get; }

    public ISchemaRegistryClient Registry { get; }

    public IMaterializer Materializer { get; }

    public CustomerSettingsTable Customers { get; }

    /// <summary>
    /// Opens the store, starts the node's host (its actor system announcing <paramref name="roles"/>), joins the cluster as
    /// <paramref name="join"/> says and starts following the customer settings.
    /// </summary>
    public static async Task<NodeRuntime> StartAsync(Config akka, RunSettings settings, ClusterJoinSettings join, IReadOnlyList<string> roles)
    {
        var store = await HistoryStores.OpenAsync(settings.Store);
        var registry = SchemaRegistryClients.Create(settings.Upstream.SchemaRegistry);
        var host = NodeHost.Build(akka, roles, settings.ShutdownTimeout);
        try
        {
            await host.StartAsync();
            var system = host.Services.GetRequiredService<ActorSystem>();
            await PipelineCluster.JoinAsync(system, join);
            system.Log.Info("Node {0} is Up; history store: {1}", Akka.Cluster.Cluster.Get(system).SelfAddress, store.Description);
            var materializer = ActorMaterializer.Create(system);
            var (customers, control) = CustomerSettingsTable.Follow(settings.Topics.CustomerSettings, settings.Consumer, registry, materializer);
            return new NodeRuntime(host, system, store, registry, materializer, customers, control);
        }
        catch
        {
            await host.StopAsync().LogFailure(settings.ShutdownTimeout * 2, "Stopping the node after its start failed", Console.Error.WriteLine);
            host.Dispose();
            registry.Dispose();
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>How a standalone node joins: only itself, never through discovery.</summary>
    public static ClusterJoinSettings StandaloneJoin(RunSettings settings) => settings.Cluster with { UseDiscovery = false };

    /// <summary>
    /// The configuration of a node that joins only itself, on a free loopback port: a replay or a backfill runs the use case's
    /// shard region under the same name as the live nodes, so it must never join their cluster, whatever the seed nodes say.
    /// </summary>
    public static Config Standalone(Config root) => ConfigurationFactory.ParseString("""
        akka.cluster.seed-nodes = []
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", public-hostname = "127.0.0.1", port = 0 }
        """).WithFallback(root);

    /// <summary>Sets what the node drains first when it stops (its streams); the customer settings stop after it.</summary>
    public void DrainOnStop(Func<TimeSpan, Task> streams) => _drain.Set(async deadline =>
    {
        await streams(deadline);
        await _customersControl.Shutdown();
    });

    /// <summary>
    /// Stops the host: drains (within <paramref name="timeout"/>), then CoordinatedShutdown hands over the shards and leaves
    /// the cluster (within as long again).
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _drain.Deadline = timeout;
        // The deadline of this stop may differ from the configured one the host was built with; the host's own shutdown
        // timeout must cover it, or the host could stop waiting for the drain.
        _host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout = timeout * 2;
        await _host.StopAsync().LogFailure(timeout * 2, "Stopping the node", System.Log.Warning);
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate().LogFailure(TimeSpan.FromSeconds(5), "Terminating the actor system", Console.Error.WriteLine);
        _host.Dispose();
        Registry.Dispose();
        await Store.DisposeAsync();
    }
}
