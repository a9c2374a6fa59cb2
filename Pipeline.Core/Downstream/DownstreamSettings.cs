using Pipeline.Core.Configuration;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Downstream;

/// <summary>How the downstream stage runs, from <c>pipeline.downstream</c>, <c>pipeline.experiments</c> and the Kafka and store sections.</summary>
/// <param name="BSharePercent">The B share of each experiment, by use case key (<c>large-purchase</c>).</param>
/// <param name="RecentIds">Feedback ids remembered in memory to catch duplicates before the store is asked.</param>
public sealed record DownstreamSettings(
    TopicNames Topics,
    IReadOnlyDictionary<string, double> BSharePercent,
    int RecentIds,
    AvroInputSettings Input,
    ConsumerSettings Consumer,
    ProducerSettings Producer,
    CommitterSettings Committer,
    SchemaRegistrySettings SchemaRegistry,
    HistoryWriteSettings HistoryWrites,
    RestartSettings Restart)
{
    public const string StageName = "downstream";

    public static DownstreamSettings Create(PipelineConfig config)
    {
        var downstream = config.Section("pipeline.downstream");
        var topics = TopicNames.Create(config.Section("pipeline.topics"));
        var shares = new Dictionary<string, double>();
        foreach (var (key, text) in config.Section("pipeline.experiments").GetFlatMap("b-share"))
        {
            var path = $"pipeline.experiments.b-share.{key}";
            if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var share) || share is < 0 or > 100)
                throw new ConfigurationError($"Setting '{path}' = '{text}' (from {config.OriginOf(path)}) must be a percentage between 0 and 100.");
            shares[key] = share;
        }
        return new DownstreamSettings(
            topics,
            shares,
            downstream.GetInt("recent-ids", 1, 10_000_000),
            new AvroInputSettings(StageName, topics.DeadLetters, downstream.GetInt("avro-parallelism", 1, 1024), DeadLetterSettings.Create(config.Section("pipeline.dead-letters"))),
            ConsumerSettings.Create(config.Section("akka.kafka.consumer"))
                .WithGroupId(downstream.GetString("group-id"))
                .WithProperty("auto.offset.reset", "earliest"),
            ProducerSettings.Create(config.Section("akka.kafka.producer")),
            CommitterSettings.Create(config.Section("akka.kafka.committer")),
            SchemaRegistrySettings.Create(config),
            HistoryWriteSettings.Create(config.Section("pipeline.store.write")),
            RestartSettings.Create(downstream.Section("restart")));
    }

    public DownstreamSettings WithBootstrapServers(string servers) => this with
    {
        Consumer = Consumer.WithBootstrapServers(servers),
        Producer = Producer.WithBootstrapServers(servers)
    };

    public DownstreamSettings WithSchemaRegistryUrl(string url) => this with { SchemaRegistry = SchemaRegistry with { Url = url } };
}
