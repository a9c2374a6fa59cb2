using System.Collections.Immutable;
using Confluent.Kafka;
using Pipeline.Core.Configuration;

namespace Pipeline.Core.Kafka.Settings;

/// <summary>Settings of a Kafka producer stage, read from <c>akka.kafka.producer</c>. Immutable.</summary>
public sealed record ProducerSettings
{
    private ProducerSettings() { }

    /// <summary>librdkafka properties passed unchanged (linger.ms, enable.idempotence, security...).</summary>
    public IImmutableDictionary<string, string> Properties { get; private init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Messages sent and not yet acknowledged, at most, per stage.</summary>
    public int Parallelism { get; private init; }

    /// <summary>How long stopping the stage waits for in-flight messages.</summary>
    public TimeSpan FlushTimeout { get; private init; }

    public string? BootstrapServers => Properties.GetValueOrDefault("bootstrap.servers");

    public static ProducerSettings Create(ConfigSection section) => new()
    {
        Properties = section.GetFlatMap("kafka-clients").ToImmutableDictionary(),
        Parallelism = section.GetInt("parallelism", 1, 1_000_000),
        FlushTimeout = section.GetDuration("flush-timeout")
    };

    public ProducerSettings WithBootstrapServers(string servers) => WithProperty("bootstrap.servers", servers);

    public ProducerSettings WithProperty(string key, string value) => this with { Properties = Properties.SetItem(key, value) };

    public ProducerSettings WithProducerConfig(ProducerConfig config) =>
        this with { Properties = Properties.SetItems(config.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value))) };

    public ProducerSettings WithParallelism(int value) => this with { Parallelism = value };

    public ProducerSettings WithFlushTimeout(TimeSpan value) => this with { FlushTimeout = value };

    public ProducerConfig ToProducerConfig()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
            throw new ConfigurationError("Kafka producer has no bootstrap.servers; set pipeline.kafka.bootstrap-servers or akka.kafka.producer.kafka-clients.bootstrap.servers.");
        return new ProducerConfig(Properties.ToDictionary(p => p.Key, p => p.Value));
    }

    public override string ToString() =>
        $"ProducerSettings(properties={KafkaClientProperties.Render(Properties)}, parallelism={Parallelism}, flush-timeout={FlushTimeout})";
}
