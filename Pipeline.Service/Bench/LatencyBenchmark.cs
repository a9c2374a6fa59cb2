using Pipeline.Core.DevelopmentInfrastructure.Kafka;

namespace Pipeline.Service.Bench;

/// <summary>
/// Feeds one input topic at a steady rate and runs the variants on it side by side (same records, same
/// moment, same client settings), each into its own output topic read by its own latency reader.
/// </summary>
internal sealed class LatencyBenchmark(EmbeddedKafka kafka, BenchClients clients, IReadOnlyList<IBenchVariant> variants, TextWriter log)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How often the percentiles of the last interval are printed, so a stall shows when it happened.</summary>
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(5);

    public async Task<List<LatencySample>> RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        const string input = "bench-latency-in";
        kafka.CreateTopic(input, KafkaBenchOptions.Partitions);
        foreach (var variant in variants)
            kafka.CreateTopic(Output(variant), KafkaBenchOptions.Partitions);

        var measureFrom = DateTime.UtcNow + KafkaBenchOptions.LatencyWarmUp;
        var readers = variants.Select(v => new TopicLatencyReader(clients.ConsumerConfig($"bench-latency-reader-{v.Id}"), Output(v), KafkaBenchOptions.Partitions,
            clients.Consumer.PollTimeout, measureFrom)).ToList();
        var running = variants.Select(v => v.Start(input, Output(v), $"bench-latency-{v.Id}", new SteadyStateClock())).ToList();
        try
        {
            var feeding = Task.Run(() => InputFeeder.Paced(
                clients, input, KafkaBenchOptions.LatencyRate, KafkaBenchOptions.LatencyWarmUp + duration, measureFrom, cancellationToken), cancellationToken);
            var started = DateTime.UtcNow;
            while (await Task.WhenAny(feeding, Task.Delay(ReportInterval, cancellationToken)) != feeding)
                LogInterval(readers, DateTime.UtcNow - started);
            var fed = await feeding;
            var deadline = DateTime.UtcNow + DrainTimeout;
            while (readers.Any(r => r.Recorded < fed) && DateTime.UtcNow < deadline && running.All(r => !r.Completion.IsFaulted))
                await Task.Delay(50, cancellationToken);
            LogInterval(readers, DateTime.UtcNow - started);
            return variants.Select((v, i) => new LatencySample(v.Id, fed, readers[i].Recorded, readers[i].Latency.Total())).ToList();
        }
        finally
        {
            foreach (var run in running)
                await run.StopAsync();
            foreach (var reader in readers)
                reader.Dispose();
        }
    }

    private void LogInterval(List<TopicLatencyReader> readers, TimeSpan since)
    {
        var parts = variants.Select((v, i) => (v.Id, Latency: readers[i].Latency.TakeInterval()))
            .Select(x => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{x.Id} p99 {x.Latency.P99,7:F1} ms max {x.Latency.Max,7:F1} ms"));
        log.WriteLine($"  {since.TotalSeconds,4:F0} s: {string.Join("   ", parts)}");
    }

    private static string Output(IBenchVariant variant) => $"bench-latency-out-{variant.Id}";
}
