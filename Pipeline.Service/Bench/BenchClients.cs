using Confluent.Kafka;
using Pipeline.Core.Configuration;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Service.Bench;

/// <summary>
/// The client settings every variant uses: akka.kafka.* from the configuration (so --set changes all of
/// them alike), plus two benchmark needs: read topics from the beginning, and compress batches with lz4
/// so a million records fit the embedded broker's per-partition retention.
/// </summary>
internal sealed record BenchClients(ConsumerSettings Consumer, ProducerSettings Producer, CommitterSettings Committer)
{
    public const string Compression = "lz4";

    public static BenchClients Create(PipelineConfig config, string bootstrapServers) => new(
        ConsumerSettings.Create(config.Section("akka.kafka.consumer"))
            .WithBootstrapServers(bootstrapServers)
            .WithProperty("auto.offset.reset", "earliest"),
        ProducerSettings.Create(config.Section("akka.kafka.producer"))
            .WithBootstrapServers(bootstrapServers)
            .WithProperty("compression.type", Compression),
        CommitterSettings.Create(config.Section("akka.kafka.committer")));

    /// <summary>The raw client configuration of a consumer in <paramref name="groupId"/>, exactly what the Akka source gets.</summary>
    public ConsumerConfig ConsumerConfig(string groupId) => Consumer.WithGroupId(groupId).ToConsumerConfig();

    public ProducerConfig ProducerConfig() => Producer.ToProducerConfig();

    /// <summary>The client properties a and b share, for the report.</summary>
    public string Describe()
    {
        static string Get(IReadOnlyDictionary<string, string> p, string key) => p.TryGetValue(key, out var v) ? v : "default";
        return $"fetch.wait.max.ms={Get(Consumer.Properties, "fetch.wait.max.ms")} queued.max.messages.kbytes={Get(Consumer.Properties, "queued.max.messages.kbytes")} " +
               $"fetch.queue.backoff.ms={Get(Consumer.Properties, "fetch.queue.backoff.ms")} linger.ms={Get(Producer.Properties, "linger.ms")} " +
               $"batch.size={Get(Producer.Properties, "batch.size")} compression={Compression} " +
               $"producer parallelism={Producer.Parallelism} commit every {Committer.MaxBatch} records or {Committer.MaxInterval.TotalMilliseconds:F0} ms";
    }
}
