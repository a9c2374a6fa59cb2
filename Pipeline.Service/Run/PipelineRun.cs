using Akka.Actor;
using Akka.Streams;
using Pipeline.Core.Configuration;
using Pipeline.Core.Schemas;
using Pipeline.Core.Schemas.Registry;
using Pipeline.Core.Upstream;

namespace Pipeline.Service.Run;

/// <summary>
/// The main job: (embedded Kafka and schema registry when configured), the built-in load generator, the stream stages, the
/// HTTP endpoints and the live view, until the token is cancelled; then a graceful stop within
/// <c>pipeline.shutdown-timeout</c>: stop the load, drain and commit, close consumers, stop the actor system.
/// </summary>
internal static class PipelineRun
{
    public static async Task<int> RunAsync(PipelineConfig config, CancellationToken stop)
    {
        var settings = RunSettings.Create(config);
        using var infrastructure = settings.UsesEmbeddedKafka ? EmbeddedInfrastructure.Start(config) : null;
        settings = settings.WithBootstrapServers(infrastructure?.Kafka.BootstrapServers ?? settings.BootstrapServers);

        await using var embeddedRegistry = settings.Upstream.SchemaRegistry.IsEmbedded
            ? await EmbeddedSchemaRegistry.StartAsync(EmbeddedSchemaRegistrySettings.Create(config))
            : null;
        if (embeddedRegistry is not null)
            settings = settings.WithSchemaRegistryUrl(embeddedRegistry.Url);
        using var registry = SchemaRegistryClients.Create(settings.Upstream.SchemaRegistry);

        var system = ActorSystem.Create("pipeline", config.Root);
        var materializer = system.Materializer();
        var statistics = new RunStatistics();

        var upstream = await UpstreamStream.RunAsync(settings.Upstream, registry, materializer,
            onProcessed: latency => statistics.OnProcessed(UpstreamSettings.StageName, latency));
        var generator = settings.Generator.Enabled
            ? GeneratorStream.Run(settings.Generator, settings.Topics.Raw, settings.Producer, statistics, materializer)
            : ((Akka.Streams.UniqueKillSwitch, Task)?)null;

        bool Ready() => !upstream.Completion.IsCompleted && upstream.Control.Metrics.AssignedPartitions.Count > 0;
        await using var http = await HttpEndpoints.StartAsync(settings.Http, Ready);

        var lagRefresh = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                statistics.PublishLag(UpstreamSettings.StageName, upstream.Control.Metrics);
                try { await Task.Delay(settings.Consumer.MetricsInterval, stop); } catch (OperationCanceledException) { }
            }
        });
        var header = $"pipeline run | kafka {settings.BootstrapServers} | {settings.Topics.Raw} -> {settings.Topics.Transactions} (+ {settings.Topics.DeadLetters}) | registry {settings.Upstream.SchemaRegistry.Url} | " +
                     $"generator {(settings.Generator.Enabled ? $"{settings.Generator.Rate}/s" : "off")} | http {http.Url}";
        var view = new ProgressView(statistics, () => upstream.Control.Metrics.TotalLag, settings.ProgressRefresh);
        var failed = upstream.Completion.ContinueWith(_ => { }, TaskScheduler.Default);
        await Task.WhenAny(view.RunAsync(header, stop), failed);

        var exitCode = 0;
        using var deadline = new CancellationTokenSource(settings.ShutdownTimeout);
        try
        {
            generator?.Item1.Shutdown();
            await upstream.Control.DrainAndShutdown(upstream.Completion).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"run: the stream did not drain within {settings.ShutdownTimeout}; stopping anyway (uncommitted records are re-read on restart).");
            exitCode = 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"run: the stream failed: {e.GetBaseException().Message}");
            exitCode = 1;
        }
        await lagRefresh;
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        Console.Out.WriteLine($"run: stopped; {statistics.Processed} records processed, latency {statistics.Latency.Total().ToLine()}");
        return exitCode;
    }
}
