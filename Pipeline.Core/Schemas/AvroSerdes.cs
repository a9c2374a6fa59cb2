using Avro.Specific;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace Pipeline.Core.Schemas;

/// <summary>
/// Serializers and deserializers of the generated contracts in the Confluent wire format (magic byte 0, 4-byte
/// schema id, Avro binary), configured from <see cref="SchemaRegistrySettings"/>.
/// </summary>
public static class AvroSerdes
{
    /// <summary>A serializer that writes <typeparamref name="T"/> under the subject the settings' strategy names.</summary>
    public static AvroSerializer<T> Serializer<T>(ISchemaRegistryClient client, SchemaRegistrySettings settings) where T : ISpecificRecord =>
        new(client, new AvroSerializerConfig
        {
            AutoRegisterSchemas = settings.AutoRegister,
            SubjectNameStrategy = settings.SubjectNameStrategy
        });

    /// <summary>A deserializer that reads any writer version of <typeparamref name="T"/> the registry knows, resolved to the generated class.</summary>
    public static AvroDeserializer<T> Deserializer<T>(ISchemaRegistryClient client) where T : ISpecificRecord =>
        new(client, new AvroDeserializerConfig());
}
