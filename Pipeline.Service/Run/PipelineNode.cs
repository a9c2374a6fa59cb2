using Akka.Actor;
using Akka.Event;
using Pipeline.Core.Configuration;
using Pipeline.Core.Downstream;
using Pipeline.Core.Hosting;
using Pipeline.Core.Storage;
using Pipeline.Core.Upstream;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Run;

/// <summary>
/// One node of the pipeline: the runtime (actor system as a cluster member, history store, registry client, customer
/// settings) and the diamond's stages its roles name, as supervised streams: upstream, one stream per use case over its
/// shard region, downstream.
/// </summary>
internal sealed class PipelineNode : IAsyncDisposable
{
    /// <summary>The stream name of downstream's delivered notifications in statistics and metrics.</summary>
    public const string NotificationsStream = "notifications";

    private readonly NodeRuntime _runtime;
    private readonly TimeSpan _storeWriteDeadline;
    private readonly CancellationTokenSource _retentionStop = new();
    private Task _retention = Task.CompletedTask;

    private PipelineNode(NodeRuntime runtime, TimeSpan storeWriteDeadline, SupervisedStream? upstream, UseCaseHost useCases, SupervisedStream? downstream, Experiments experiments)
    {
        _runtime = runtime;
        _storeWriteDeadline = storeWriteDeadline;
        Upstream = upstream;
        UseCases = useCases;
        Downstream = downstream;
        Experiments = experiments;
    }

    public ActorSystem System => _runtime.System;

    public IHistoryStore Store => _runtime.Store;

    /// <summary>The upstream stage, when the node's roles include it.</summary>
    public SupervisedStream? Upstream { get; }

    public UseCaseHost UseCases { get; }

    /// <summary>The downstream stage, when the node's roles include it.</summary>
    public SupervisedStream? Downstream { get; }

    public Experiments Experiments { get; }

    /// <summary>The customers' own settings, followed from the compacted topic.</summary>
    public CustomerSettingsTable Customers => _runtime.Customers;

    /// <summary>Every stream of the node with its name.</summary>
    public IEnumerable<SupervisedStream> Streams =>
        new[] { Upstream }.Concat(UseCases.Keys.Select(k => UseCases.Stream(k))).Append(Downstream).OfType<SupervisedStream>();

    /// <summary>
    /// Ready: a cluster member that is Up, with every started stream running (use cases may be stopped through the admin API),
    /// and a history store that has not refused writes for longer than the write retry deadline.
    /// </summary>
    public bool IsReady =>
        Akka.Cluster.Cluster.Get(System).SelfMember.Status == Akka.Cluster.MemberStatus.Up &&
        !HistoryStoreHealth.Of(_runtime.Store).UnavailableFor(_storeWriteDeadline) &&
        Streams.All(s => s.State is StreamState.Running or StreamState.Stopped) &&
        (Upstream?.State is null or StreamState.Running) && (Downstream?.State is null or StreamState.Running);

    /// <summary>
    /// Opens the store, joins the cluster and starts the stages and use cases the node's roles name. Kafka and the registry
    /// must be reachable at the settings' addresses.
    /// </summary>
    public static async Task<PipelineNode> StartAsync(PipelineConfig config, RunSettings settings, RunStatistics statistics)
    {
        var runtime = await NodeRuntime.StartAsync(config.Root, settings, settings.Cluster, settings.Roles.Announced);
        try
        {
            var (system, store, registry, materializer) = (runtime.System, runtime.Store, runtime.Registry, runtime.Materializer);
            var experiments = new Experiments(settings.Downstream.BSharePercent);

            // One event-time reference for the node: the upstream stream advances it, retention counts back from it.
            var streamTime = new StreamTime(settings.Upstream.Limits.MaxFutureSkew, TimeProvider.System);
            SupervisedStream? upstream = null;
            if (settings.Roles.Upstream)
            {
                statistics.Register(UpstreamSettings.StageName);
                var poison = new PoisonRecords(UpstreamSettings.StageName, settings.Upstream.DeadLetters.PoisonAfter, system.Log);
                upstream = new SupervisedStream(UpstreamSettings.StageName,
                    stop => UpstreamStream.RunAsync(settings.Upstream, registry, store, materializer,
                        onProcessed: latency => statistics.OnProcessed(UpstreamSettings.StageName, latency), streamTime: streamTime,
                        cancellationToken: stop, poison: poison),
                    settings.Upstream.Restart, system.Log, poison);
                upstream.Start();
            }

            var running = settings.UseCases.Where(u => settings.Roles.RunsUseCase(u.UseCase.ConfigKey)).ToList();
            foreach (var key in running.Select(u => u.UseCase.ConfigKey).Distinct())
                statistics.Register(UseCaseStreamSettings.StageName(key));
            var useCases = await UseCaseHost.StartAsync(system, running, settings.UseCaseStreamsFor, registry, store, runtime.Customers, statistics.OnUseCaseProcessed);

            SupervisedStream? downstream = null;
            if (settings.Roles.Downstream)
            {
                statistics.Register(NotificationsStream);
                var poison = new PoisonRecords(DownstreamSettings.StageName, settings.Downstream.Input.DeadLetters.PoisonAfter, system.Log);
                downstream = new SupervisedStream(DownstreamSettings.StageName,
                    stop => DownstreamStream.RunAsync(settings.Downstream, experiments, registry, store, materializer,
                        latency => statistics.OnProcessed(NotificationsStream, latency), stop, poison),
                    settings.Downstream.Restart, system.Log, poison);
                downstream.Start();
            }
            var node = new PipelineNode(runtime, settings.Store.Write.RetryDeadline, upstream, useCases, downstream, experiments);
            node._retention = HistoryRetention.Start(store, settings.Store, streamTime, TimeProvider.System, node._retentionStop.Token, run =>
            {
                // A pass that drops history, refuses to, or fails is worth an operator's eye; one with nothing to drop is not.
                if (run.IsWarning)
                    system.Log.Warning("{0}", run);
                else
                    system.Log.Info("{0}", run);
            });
            runtime.DrainOnStop(node.DrainAsync);
            system.Log.Info("Node runs {0}", string.Join(", ", node.Streams.Select(s => s.Name)));
            return node;
        }
        catch
        {
            await runtime.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the node's host: drains and commits every stream (at most <paramref name="timeout"/>), then CoordinatedShutdown
    /// hands over the shards and leaves the cluster.
    /// </summary>
    public Task StopAsync(TimeSpan timeout) => _runtime.StopAsync(timeout);

    private async Task DrainAsync(TimeSpan timeout)
    {
        await _retentionStop.CancelAsync();
        await _retention;
        await Task.WhenAll(new[] { Upstream?.StopAsync(timeout), UseCases.StopAllAsync(timeout), Downstream?.StopAsync(timeout) }.OfType<Task>());
    }

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
