using Pipeline.Core.Configuration;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Upstream;

/// <summary>Everything the upstream stream reads from configuration: topics, input limits, Kafka clients and the registry.</summary>
/// <param name="Topics">The raw input, the transactions output and the dead-letters topic.</param>
/// <param name="Limits">What a raw record may look like.</param>
/// <param name="DeadLetters">How dead letters are written.</param>
/// <param name="Consumer">The raw-topic consumer, with the upstream group id and start position.</param>
/// <param name="Producer">The producer of transactions and dead letters.</param>
/// <param name="Committer">How input offsets are batched into commits.</param>
/// <param name="SchemaRegistry">Where the <c>Transaction</c> schema is checked and registered.</param>
/// <param name="HistoryWrites">How valid records are batched into the history store before they are produced.</param>
/// <param name="Restart">How the stream restarts after a failure.</param>
public sealed record UpstreamSettings(
    TopicNames Topics,
    UpstreamLimits Limits,
    DeadLetterSettings DeadLetters,
    ConsumerSettings Consumer,
    ProducerSettings Producer,
    CommitterSettings Committer,
    SchemaRegistrySettings SchemaRegistry,
    HistoryWriteSettings HistoryWrites,
    RestartSettings Restart)
{
    /// <summary>The stage name written to the <c>error.stage</c> header and the metrics' <c>stage</c> label.</summary>
    public const string StageName = "upstream";

    /// <summary>Reads <c>pipeline.upstream</c>, <c>pipeline.topics</c>, <c>pipeline.dead-letters</c>, <c>pipeline.schema-registry</c> and <c>akka.kafka</c>.</summary>
    public static UpstreamSettings Create(PipelineConfig config)
    {
        var upstream = config.Section("pipeline.upstream");
        var reset = upstream.GetString("auto-offset-reset");
        if (reset is not ("earliest" or "latest"))
            throw new ConfigurationError(
                $"Setting 'pipeline.upstream.auto-offset-reset' = '{reset}' (from {config.OriginOf("pipeline.upstream.auto-offset-reset")}) must be \"earliest\" or \"latest\".");
        return new UpstreamSettings(
            TopicNames.Create(config.Section("pipeline.topics")),
            UpstreamLimits.Create(upstream, config.Section("pipeline.store").GetDuration("retention")),
            DeadLetterSettings.Create(config.Section("pipeline.dead-letters")),
            ConsumerSettings.Create(config.Section("akka.kafka.consumer"))
                .WithGroupId(upstream.GetString("group-id"))
                .WithProperty("auto.offset.reset", reset),
            ProducerSettings.Create(config.Section("akka.kafka.producer")),
            CommitterSettings.Create(config.Section("akka.kafka.committer")),
            SchemaRegistrySettings.Create(config),
            HistoryWriteSettings.Create(config.Section("pipeline.store.write")),
            RestartSettings.Create(upstream.Section("restart")));
    }

    /// <summary>The consumer and producer pointed at <paramref name="servers"/> (the embedded cluster's address is known only once it runs).</summary>
    public UpstreamSettings WithBootstrapServers(string servers) => this with
    {
        Consumer = Consumer.WithBootstrapServers(servers),
        Producer = Producer.WithBootstrapServers(servers)
    };
}
