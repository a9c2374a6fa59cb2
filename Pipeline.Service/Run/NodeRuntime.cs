using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Streams;
using Confluent.SchemaRegistry;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Run;

/// <summary>
/// What every process that evaluates use cases needs (`pipeline run`, `replay`, `backfill`): the history store, the schema
/// registry client, an actor system that is an Up cluster member (sharding needs one) with its materializer, and the
/// customer-settings table.
/// </summary>
internal sealed class NodeRuntime : IAsyncDisposable
{
    private readonly ConsumerControl _customersControl;

    private NodeRuntime(ActorSystem system, IHistoryStore store, ISchemaRegistryClient registry, IMaterializer materializer,
        CustomerSettingsTable customers, ConsumerControl customersControl)
    {
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

    /// <summary>Opens the store, joins the cluster as <paramref name="join"/> says and starts following the customer settings.</summary>
    public static async Task<NodeRuntime> StartAsync(Config akka, RunSettings settings, ClusterJoinSettings join)
    {
        var store = await HistoryStores.OpenAsync(settings.Store);
        var registry = SchemaRegistryClients.Create(settings.Upstream.SchemaRegistry);
        var system = ActorSystem.Create("pipeline", akka.WithFallback(Akka.Discovery.KubernetesApi.KubernetesDiscovery.DefaultConfiguration()));
        try
        {
            await PipelineCluster.JoinAsync(system, join);
            system.Log.Info("Node {0} is Up; history store: {1}", Akka.Cluster.Cluster.Get(system).SelfAddress, store.Description);
            var materializer = ActorMaterializer.Create(system);
            var (customers, control) = CustomerSettingsTable.Follow(settings.Topics.CustomerSettings, settings.Consumer, registry, materializer);
            return new NodeRuntime(system, store, registry, materializer, customers, control);
        }
        catch
        {
            await system.Terminate();
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

    /// <summary>Stops following the customer settings and leaves the cluster, each within <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        await _customersControl.Shutdown().WaitAsync(timeout).ContinueWith(_ => { }, TaskScheduler.Default);
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(timeout).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        Registry.Dispose();
        await Store.DisposeAsync();
    }
}
