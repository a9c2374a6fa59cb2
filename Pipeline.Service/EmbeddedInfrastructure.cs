using Pipeline.Core;
using Pipeline.Core.Configuration;
using Pipeline.Core.Kafka.Embedded;

namespace Pipeline.Service;

/// <summary>The embedded stand-ins for production infrastructure, with the pipeline's topics created.</summary>
internal sealed class EmbeddedInfrastructure : IDisposable
{
    private EmbeddedInfrastructure(EmbeddedKafka kafka) => Kafka = kafka;

    public EmbeddedKafka Kafka { get; }

    public static EmbeddedInfrastructure Start(PipelineConfig config)
    {
        var kafka = EmbeddedKafka.Start(EmbeddedKafkaSettings.Create(config.Section("pipeline.embedded-kafka")));
        try
        {
            var topics = TopicNames.Create(config.Section("pipeline.topics"));
            foreach (var topic in topics.All)
                kafka.CreateTopic(topic, topics.Partitions);
            return new EmbeddedInfrastructure(kafka);
        }
        catch
        {
            kafka.Dispose();
            throw;
        }
    }

    public void Dispose() => Kafka.Dispose();
}
