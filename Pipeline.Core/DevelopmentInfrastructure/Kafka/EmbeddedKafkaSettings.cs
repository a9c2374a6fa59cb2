using Pipeline.Core.Configuration;

namespace Pipeline.Core.DevelopmentInfrastructure.Kafka;

/// <summary>Settings of the in-process Kafka (librdkafka's mock cluster), from <c>pipeline.embedded-kafka</c>.</summary>
public sealed record EmbeddedKafkaSettings(int Brokers, TimeSpan GroupInitialRebalanceDelay)
{
    public static EmbeddedKafkaSettings Create(ConfigSection section) => new(
        section.GetInt("brokers", 1, 32),
        section.GetDuration("group-initial-rebalance-delay"));

    public static EmbeddedKafkaSettings Default { get; } = new(3, TimeSpan.FromMilliseconds(100));
}
