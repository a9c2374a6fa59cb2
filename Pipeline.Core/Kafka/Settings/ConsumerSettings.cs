using System.Collections.Immutable;
using Confluent.Kafka;
using Pipeline.Core.Configuration;

namespace Pipeline.Core.Kafka.Settings;

/// <summary>
/// Settings of a Kafka source, read from <c>akka.kafka.consumer</c>. Immutable: every <c>With...</c>
/// returns a copy. Auto-commit is always off: offsets are committed by the stream, after outputs are acknowledged.
/// </summary>
public sealed record ConsumerSettings
{
    private ConsumerSettings() { }

    /// <summary>librdkafka properties passed unchanged (bootstrap.servers, group.id, fetch.*, security...).</summary>
    public IImmutableDictionary<string, string> Properties { get; private init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>How long one blocking poll waits before the poll thread looks at stop and pause requests.</summary>
    public TimeSpan PollTimeout { get; private init; }

    /// <summary>Records buffered per partition before the partition is paused at the broker.</summary>
    public int PartitionBufferSize { get; private init; }

    /// <summary>How long a full partition buffer may wait for the stream before the partition is paused at the broker.</summary>
    public TimeSpan PauseAfter { get; private init; }

    /// <summary>On revocation, how long to wait for emitted records of revoked partitions to be committed.</summary>
    public TimeSpan WaitClosePartition { get; private init; }

    /// <summary>How long a commit that failed for a passing reason (coordinator unreachable, rebalance) is retried before the stream fails.</summary>
    public TimeSpan CommitRetryDeadline { get; private init; }

    /// <summary>How long closing the consumer (leaving the group) may take.</summary>
    public TimeSpan CloseTimeout { get; private init; }

    /// <summary>How often lag metrics are refreshed.</summary>
    public TimeSpan MetricsInterval { get; private init; }

    public string? GroupId => Properties.GetValueOrDefault("group.id");

    public string? BootstrapServers => Properties.GetValueOrDefault("bootstrap.servers");

    public static ConsumerSettings Create(ConfigSection section)
    {
        var properties = section.GetFlatMap("kafka-clients").ToImmutableDictionary()
            .SetItem("auto.offset.reset", section.GetString("auto-offset-reset"));
        return new ConsumerSettings
        {
            Properties = properties,
            PollTimeout = section.GetDuration("poll-timeout"),
            PartitionBufferSize = section.GetInt("partition-buffer-size", 1, 1_000_000),
            PauseAfter = section.GetDuration("pause-after"),
            WaitClosePartition = section.GetDuration("wait-close-partition"),
            CloseTimeout = section.GetDuration("close-timeout"),
            CommitRetryDeadline = section.GetDuration("commit-retry-deadline"),
            MetricsInterval = section.GetDuration("metrics-interval")
        };
    }

    public ConsumerSettings WithBootstrapServers(string servers) => WithProperty("bootstrap.servers", servers);

    public ConsumerSettings WithGroupId(string groupId) => WithProperty("group.id", groupId);

    public ConsumerSettings WithProperty(string key, string value) => this with { Properties = Properties.SetItem(key, value) };

    /// <summary>Merges a typed Confluent config over the current properties.</summary>
    public ConsumerSettings WithConsumerConfig(ConsumerConfig config) =>
        this with { Properties = Properties.SetItems(config.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value))) };

    public ConsumerSettings WithPollTimeout(TimeSpan value) => this with { PollTimeout = value };

    public ConsumerSettings WithPartitionBufferSize(int value) => this with { PartitionBufferSize = value };

    public ConsumerSettings WithPauseAfter(TimeSpan value) => this with { PauseAfter = value };

    public ConsumerSettings WithWaitClosePartition(TimeSpan value) => this with { WaitClosePartition = value };

    public ConsumerSettings WithCloseTimeout(TimeSpan value) => this with { CloseTimeout = value };

    public ConsumerSettings WithCommitRetryDeadline(TimeSpan value) => this with { CommitRetryDeadline = value };

    public ConsumerSettings WithMetricsInterval(TimeSpan value) => this with { MetricsInterval = value };

    /// <summary>The client configuration: the raw properties, with offset management forced to manual.</summary>
    public ConsumerConfig ToConsumerConfig()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
            throw new ConfigurationError("Kafka consumer has no bootstrap.servers; set pipeline.kafka.bootstrap-servers or akka.kafka.consumer.kafka-clients.bootstrap.servers.");
        if (string.IsNullOrWhiteSpace(GroupId))
            throw new ConfigurationError("Kafka consumer has no group.id; every committable source needs its own consumer group.");
        var config = new ConsumerConfig(Properties.ToDictionary(p => p.Key, p => p.Value))
        {
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false
        };
        return config;
    }

    public override string ToString() =>
        $"ConsumerSettings(properties={KafkaClientProperties.Render(Properties)}, poll-timeout={PollTimeout}, " +
        $"partition-buffer-size={PartitionBufferSize}, pause-after={PauseAfter}, wait-close-partition={WaitClosePartition}, close-timeout={CloseTimeout})";
}
