using Pipeline.Core.Kafka.Embedded;

namespace Pipeline.Service.Bench;

/// <summary>
/// Feeds one input topic at a steady rate and runs the variants on it side by side (same records, same
/// moment, same client settings), each into its own output topic read by its own latency reader.
/// </summary>
internal sealed class LatencyBenchmark(EmbeddedKafka kafka, BenchClients clients, IReadOnlyList<IBenchVariant> variants)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    public async Task<List<LatencySample>> RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        const string input = "bench-latency-in";
        kafka.CreateTopic(input, KafkaBenchOptions.Partitions);
        foreach (var variant in variants)
            kafka.CreateTopic(Output(variant), KafkaBenchOptions.Partitions);

        var measureFrom = DateTime.UtcNow + KafkaBenchOptions.LatencyWarmUp;
        var readers = variants.Select(v => new OutputLatencyReader(clients, Output(v), $"bench-latency-reader-{v.Id}", measureFrom)).ToList();
        var running = variants.Select(v => v.Start(input, Output(v), $"bench-latency-{v.Id}", new SteadyStateClock())).ToList();
        try
        {
            var fed = await Task.Run(() => InputFeeder.Paced(
                clients, input, KafkaBenchOptions.LatencyRate, KafkaBenchOptions.LatencyWarmUp + duration, measureFrom, cancellationToken), cancellationToken);
            var deadline = DateTime.UtcNow + DrainTimeout;
            while (readers.Any(r => r.Recorded < fed) && DateTime.UtcNow < deadline && running.All(r => !r.Completion.IsFaulted))
                await Task.Delay(50, cancellationToken);
            return variants.Select((v, i) => new LatencySample(v.Id, fed, readers[i].Recorded, readers[i].Latency.TakeInterval())).ToList();
        }
        finally
        {
            foreach (var run in running)
                await run.StopAsync();
            foreach (var reader in readers)
                reader.Dispose();
        }
    }

    private static string Output(IBenchVariant variant) => $"bench-latency-out-{variant.Id}";
}
