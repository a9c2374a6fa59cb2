using Pipeline.Core.Configuration;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Tests.Support;

/// <summary>The shipped defaults from config/pipeline.conf, pointed at a test's embedded cluster.</summary>
internal static class KafkaTestSettings
{
    private static readonly PipelineConfig Defaults = PipelineConfig.Defaults();

    public static ConsumerSettings Consumer(string bootstrap, string groupId) =>
        ConsumerSettings.Create(Defaults.Section("akka.kafka.consumer"))
            .WithBootstrapServers(bootstrap)
            .WithGroupId(groupId)
            .WithProperty("auto.offset.reset", "earliest");

    public static ProducerSettings Producer(string bootstrap) =>
        ProducerSettings.Create(Defaults.Section("akka.kafka.producer")).WithBootstrapServers(bootstrap);

    public static CommitterSettings Committer() => CommitterSettings.Create(Defaults.Section("akka.kafka.committer"));

    public static TransactionalSettings Transactional() => TransactionalSettings.Create(Defaults.Section("akka.kafka.transactional"));
}
