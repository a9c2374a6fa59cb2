using Avro.Specific;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace Pipeline.Core.Schemas;

/// <summary>
/// Confluent's serializer of the generated contracts in the Confluent wire format (magic byte 0, 4-byte schema id,
/// Avro binary), configured from <see cref="SchemaRegistrySettings"/>, for what writes records as any
/// Confluent client would (tests, the benchmarks' baseline). The stages encode with <see cref="AvroValueEncoder{T}"/> and decode with <see cref="AvroValueDecoder{T}"/>.
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
}
