using Pipeline.Core.DevelopmentInfrastructure.Kafka;

namespace Pipeline.Service.Bench;

/// <summary>
/// Runs every variant over the same filled input topic, each under its own consumer group and into its own
/// output topic, run after run (a, b, c, a, b, c, ...) so the machine's load changes hit all of them alike.
/// </summary>
internal sealed class ThroughputBenchmark(EmbeddedKafka kafka, TopicInspector inspector, IReadOnlyList<IBenchVariant> variants, TextWriter log)
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    public async Task<List<ThroughputSample>> RunAsync(string input, TopicCounts inputCounts, int runs, CancellationToken cancellationToken)
    {
        var expected = inputCounts.Retained;
        var samples = new List<ThroughputSample>();
        for (var run = 1; run <= runs; run++)
        {
            foreach (var variant in variants)
            {
                var sample = await MeasureAsync(variant, run, input, inputCounts, expected, cancellationToken);
                samples.Add(sample);
                log.WriteLine($"  run {run} {variant.Id} {variant.Description,-26} {sample.PerSecond,12:N0} msgs/s  {(sample.Verified ? "verified" : "NOT VERIFIED: " + sample.Problem)}");
            }
        }
        return samples;
    }

    private async Task<ThroughputSample> MeasureAsync(IBenchVariant variant, int run, string input, TopicCounts inputCounts, long expected, CancellationToken cancellationToken)
    {
        var output = $"bench-out-{variant.Id}-{run}";
        var group = $"bench-{variant.Id}-{run}";
        kafka.CreateTopic(output, KafkaBenchOptions.Partitions);
        var clock = new SteadyStateClock();
        var running = variant.Start(input, output, group, clock);
        TimeSpan elapsed;
        try
        {
            elapsed = await clock.WaitForOutputAsync(inspector, output, expected, running.Completion, StallTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or Confluent.Kafka.KafkaException)
        {
            await StopQuietlyAsync(running);
            return new ThroughputSample(variant.Id, run, expected, TimeSpan.MaxValue, e.Message);
        }
        await running.StopAsync();
        return new ThroughputSample(variant.Id, run, expected, elapsed, RunCheck.Problem(inspector, input, inputCounts, output, group, expected));
    }

    private static async Task StopQuietlyAsync(RunningVariant running)
    {
        try { await running.StopAsync(); }
        catch (Exception) { /* the run already failed; its first error is the one reported */ }
    }
}
