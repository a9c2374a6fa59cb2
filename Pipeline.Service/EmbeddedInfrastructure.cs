using Pipeline.Core;
using Pipeline.Core.Configuration;
using Pipeline.Core.DevelopmentInfrastructure.Kafka;
using Pipeline.Core.Replay;
using Pipeline.Core.Schemas;
using Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

namespace Pipeline.Service;

/// <summary>The embedded stand-ins for production infrastructure, with the pipeline's topics created.</summary>
internal sealed class EmbeddedInfrastructure : IDisposable, IAsyncDisposable
{
    private EmbeddedInfrastructure(EmbeddedKafka kafka) => Kafka = kafka;

    public EmbeddedKafka Kafka { get; }

    /// <summary>The embedded schema registry, once <see cref="StartSchemaRegistryAsync"/> has run.</summary>
    public EmbeddedSchemaRegistry? SchemaRegistry { get; private set; }

    public static EmbeddedInfrastructure Start(PipelineConfig config)
    {
        var kafka = EmbeddedKafka.Start(EmbeddedKafkaSettings.Create(config.Section("pipeline.embedded-kafka")));
        try
        {
            var topics = TopicNames.Create(config.Section("pipeline.topics"));
            foreach (var topic in topics.All.Append(ReplaySettings.Create(config).OutputTopic))
                kafka.CreateTopic(topic, topics.Partitions);
            return new EmbeddedInfrastructure(kafka);
        }
        catch
        {
            kafka.Dispose();
            throw;
        }
    }

    /// <summary>Starts the embedded schema registry (pipeline.schema-registry.embedded) next to the Kafka.</summary>
    public async Task StartSchemaRegistryAsync(PipelineConfig config) =>
        SchemaRegistry = await EmbeddedSchemaRegistry.StartAsync(EmbeddedSchemaRegistrySettings.Create(config));

    public void Dispose()
    {
        SchemaRegistry?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Kafka.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (SchemaRegistry is not null)
            await SchemaRegistry.DisposeAsync();
        Kafka.Dispose();
    }
}
