using Akka.Actor;
using Akka.Event;
using Confluent.SchemaRegistry;
using Pipeline.Core.Configuration;
using Pipeline.Core.Downstream;
using Pipeline.Core.Hosting;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;
using Pipeline.Core.Upstream;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Run;

/// <summary>
/// One node of the pipeline: the actor system (a cluster member), the history store, and the diamond's stages as
/// supervised streams: upstream, one stream per use case over its shard region, downstream.
/// </summary>
internal sealed class PipelineNode : IAsyncDisposable
{
    /// <summary>The stream name of downstream's delivered notifications in statistics and metrics.</summary>
    public const string NotificationsStream = "notifications";

    private readonly ISchemaRegistryClient _registry;
    private readonly CancellationTokenSource _retentionStop = new();
    private Task _retention = Task.CompletedTask;

    private PipelineNode(ActorSystem system, IHistoryStore store, ISchemaRegistryClient registry, SupervisedStream upstream, UseCaseHost useCases,
        SupervisedStream downstream, Experiments experiments, CustomerSettingsTable customers, Pipeline.Core.Kafka.ConsumerControl customersControl)
    {
        System = system;
        Store = store;
        _registry = registry;
        Upstream = upstream;
        UseCases = useCases;
        Downstream = downstream;
        Experiments = experiments;
        Customers = customers;
        CustomersControl = customersControl;
    }

    public ActorSystem System { get; }

    public IHistoryStore Store { get; }

    public SupervisedStream Upstream { get; }

    public UseCaseHost UseCases { get; }

    public SupervisedStream Downstream { get; }

    public Experiments Experiments { get; }

    public CustomerSettingsTable Customers { get; }

    private Pipeline.Core.Kafka.ConsumerControl CustomersControl { get; }

    /// <summary>Every stream of the node with its name.</summary>
    public IEnumerable<SupervisedStream> Streams =>
        new[] { Upstream }.Concat(UseCases.Keys.Select(k => UseCases.Stream(k)!)).Append(Downstream);

    /// <summary>Ready: a cluster member that is Up, with every started stream running.</summary>
    public bool IsReady =>
        Akka.Cluster.Cluster.Get(System).SelfMember.Status == Akka.Cluster.MemberStatus.Up &&
        Streams.All(s => s.State is StreamState.Running or StreamState.Stopped) && Upstream.State == StreamState.Running;

    /// <summary>Opens the store, joins the cluster and starts every stage. Kafka and the registry must be reachable at the settings' addresses.</summary>
    public static async Task<PipelineNode> StartAsync(PipelineConfig config, RunSettings settings, RunStatistics statistics)
    {
        var store = await HistoryStores.OpenAsync(settings.Store);
        var registry = SchemaRegistryClients.Create(settings.Upstream.SchemaRegistry);
        var system = ActorSystem.Create("pipeline", config.Root.WithFallback(Akka.Discovery.KubernetesApi.KubernetesDiscovery.DefaultConfiguration()));
        try
        {
            await PipelineCluster.JoinAsync(system, settings.Cluster);
            system.Log.Info("Node {0} is Up; history store: {1}", Akka.Cluster.Cluster.Get(system).SelfAddress, store.Description);
            var materializer = Akka.Streams.ActorMaterializer.Create(system);
            var (customers, customersControl) = CustomerSettingsTable.Follow(settings.Topics.CustomerSettings, settings.Consumer, registry, materializer);
            var experiments = new Experiments(settings.Downstream.BSharePercent);

            statistics.Register(UpstreamSettings.StageName);
            var upstream = new SupervisedStream(UpstreamSettings.StageName,
                stop => UpstreamStream.RunAsync(settings.Upstream, registry, store, materializer,
                    onProcessed: latency => statistics.OnProcessed(UpstreamSettings.StageName, latency), cancellationToken: stop),
                settings.Upstream.Restart, system.Log);
            upstream.Start();

            foreach (var key in settings.UseCases.Select(u => u.UseCase.ConfigKey).Distinct())
                statistics.Register(UseCaseStreamSettings.StageName(key));
            var useCases = await UseCaseHost.StartAsync(system, settings.UseCases, settings.UseCaseStreamsFor, registry, store, customers, statistics.OnProcessed);

            statistics.Register(NotificationsStream);
            var downstream = new SupervisedStream(DownstreamSettings.StageName,
                stop => DownstreamStream.RunAsync(settings.Downstream, experiments, registry, store, materializer,
                    latency => statistics.OnProcessed(NotificationsStream, latency), stop),
                settings.Downstream.Restart, system.Log);
            downstream.Start();
            var node = new PipelineNode(system, store, registry, upstream, useCases, downstream, experiments, customers, customersControl);
            node._retention = HistoryRetention.Start(store, settings.Store, TimeProvider.System, node._retentionStop.Token, run => system.Log.Info("{0}", run));
            return node;
        }
        catch
        {
            await system.Terminate();
            registry.Dispose();
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drains and commits every stream (at most <paramref name="timeout"/>), then leaves the cluster.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        await _retentionStop.CancelAsync();
        await _retention;
        await Task.WhenAll(Upstream.StopAsync(timeout), UseCases.StopAllAsync(timeout), Downstream.StopAsync(timeout));
        await CustomersControl.Shutdown().WaitAsync(timeout).ContinueWith(_ => { }, TaskScheduler.Default);
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(timeout).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _registry.Dispose();
        await Store.DisposeAsync();
    }
}
