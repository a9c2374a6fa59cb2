using Pipeline.Core.Configuration;
using Pipeline.Core.Schemas;
using Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;
using Pipeline.Core.Tracing;
using Pipeline.Core.Upstream;
using Pipeline.Core.UseCaseRuntime;

namespace Pipeline.Service.Run;

/// <summary>
/// The main job: (embedded Kafka and schema registry when configured), the built-in load generator, the node's
/// stages, the HTTP endpoints and the live view, until the token is cancelled; then a graceful stop within
/// <c>pipeline.shutdown-timeout</c>: stop the load, drain and commit every stream, leave the cluster.
/// </summary>
internal static class PipelineRun
{
    public static async Task<int> RunAsync(PipelineConfig config, CancellationToken stop)
    {
        var settings = RunSettings.Create(config);
        Logging.Configure(config);
        using var tracing = TracingExport.Start(TracingSettings.Create(config.Section("pipeline.tracing")));
        using var infrastructure = settings.UsesEmbeddedKafka ? EmbeddedInfrastructure.Start(config) : null;
        settings = settings.WithBootstrapServers(infrastructure?.Kafka.BootstrapServers ?? settings.BootstrapServers);

        await using var embeddedRegistry = settings.Upstream.SchemaRegistry.IsEmbedded
            ? await EmbeddedSchemaRegistry.StartAsync(EmbeddedSchemaRegistrySettings.Create(config))
            : null;
        if (embeddedRegistry is not null)
            settings = settings.WithSchemaRegistryUrl(embeddedRegistry.Url);

        var statistics = new RunStatistics();
        await using var node = await PipelineNode.StartAsync(config, settings, statistics);
        var generator = settings.Generator.Enabled
            ? GeneratorStream.Run(settings.Generator, settings.Topics.Raw, settings.Producer, statistics, Akka.Streams.ActorMaterializer.Create(node.System))
            : ((Akka.Streams.UniqueKillSwitch, Task)?)null;

        var figures = new LiveFigures(statistics, node.Experiments, settings.Console.HistoryPoints);
        var sampling = figures.RunAsync(settings.ProgressRefresh, stop);
        var deadLetters = new DeadLetterTail(settings.Consumer, settings.Topics.DeadLetters, settings.Console.LatestDeadLetters,
            settings.Console.DeadLettersMaxAge, settings.Console.QueryTimeout);
        await using var http = await HttpEndpoints.StartAsync(settings.Http, () => node.IsReady,
            new AdminApi(node, settings.Http.AdminToken, new ConsoleEndpoints(node, figures, deadLetters, settings.Console)));

        var lagRefresh = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var stream in node.Streams)
                {
                    if (stream.Control is { } control)
                        statistics.PublishLag(stream.Name, control.Metrics);
                }
                try { await Task.Delay(settings.Consumer.MetricsInterval, stop); } catch (OperationCanceledException) { }
            }
        });
        var header = $"pipeline run | kafka {settings.BootstrapServers} | registry {settings.Upstream.SchemaRegistry.Url} | store {node.Store.Description} | " +
                     $"use cases {string.Join(", ", node.UseCases.Keys)} | generator {(settings.Generator.Enabled ? $"{settings.Generator.Rate}/s" : "off")} | http {http.Url}";
        await new ProgressView(figures, settings.ProgressRefresh).RunAsync(header, stop);
        await sampling;

        var exitCode = 0;
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        generator?.Item1.Shutdown();
        await node.StopAsync(settings.ShutdownTimeout);
        if (stopping.Elapsed > settings.ShutdownTimeout)
        {
            Console.Error.WriteLine($"run: the streams did not drain within {settings.ShutdownTimeout}; stopped anyway (uncommitted records are re-read on restart).");
            exitCode = 1;
        }
        await lagRefresh;
        var upstream = statistics.ProcessedBy(UpstreamSettings.StageName);
        var delivered = statistics.ProcessedBy(PipelineNode.NotificationsStream);
        figures.Sample(); // the last interval's latencies into the totals
        var endToEnd = statistics.Streams.FirstOrDefault(s => s.Stream == PipelineNode.NotificationsStream).Counters?.Latency.Total();
        Console.Out.WriteLine($"run: stopped; {upstream} records processed, {delivered} notifications delivered" +
                              (endToEnd is { Count: > 0 } ? $", end-to-end latency {endToEnd.ToLine()}" : ""));
        return exitCode;
    }
}
