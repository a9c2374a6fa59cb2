using Confluent.Kafka;
using Pipeline.Core.DevelopmentInfrastructure.Kafka;

namespace Pipeline.Tests.Support;

/// <summary>One embedded Kafka cluster shared by the tests of a collection; each test uses its own topics and groups.</summary>
public sealed class EmbeddedKafkaFixture : IDisposable
{
    public const string Collection = "embedded-kafka";

    public EmbeddedKafka Kafka { get; } = EmbeddedKafka.Start();

    public string BootstrapServers => Kafka.BootstrapServers;

    /// <summary>A topic unique to the calling test.</summary>
    public string CreateTopic(string name, int partitions)
    {
        var topic = $"{name}-{Guid.NewGuid():N}";
        Kafka.CreateTopic(topic, partitions);
        return topic;
    }

    public static string UniqueGroup(string name) => $"{name}-{Guid.NewGuid():N}";

    public IProducer<string, string> CreateProducer(Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
            EnableIdempotence = true
        };
        configure?.Invoke(config);
        return new ProducerBuilder<string, string>(config).Build();
    }

    /// <summary>Produces <paramref name="count"/> messages keyed "k{i % keys}" with value "{i}" and waits for every ack.</summary>
    public void Produce(string topic, int count, int keys = 100)
    {
        using var producer = CreateProducer();
        for (var i = 0; i < count; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<string, string> { Key = $"k{i % keys}", Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    break;
                }
                catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
        producer.Flush(TimeSpan.FromSeconds(60));
    }

    public void Dispose() => Kafka.Dispose();
}

[CollectionDefinition(EmbeddedKafkaFixture.Collection)]
public sealed class EmbeddedKafkaCollection : ICollectionFixture<EmbeddedKafkaFixture>;
