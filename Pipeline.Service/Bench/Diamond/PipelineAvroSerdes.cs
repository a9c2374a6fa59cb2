using Avro.Specific;
using Confluent.Kafka;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Schemas;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// The pipeline's own Avro decoder and encoder as Confluent.Kafka serdes, so the plain loop decodes and encodes exactly as
/// the diamond's stages do (a cached resolving reader per schema id, one writer under the checked schema id).
/// </summary>
internal static class PipelineAvroSerdes
{
    public static IDeserializer<T> Deserializer<T>(AvroValueDecoder<T> decoder) where T : class, ISpecificRecord, new() => new Decoding<T>(decoder);

    public static ISerializer<T> Serializer<T>(AvroValueEncoder<T> encoder) where T : ISpecificRecord, new() => new Encoding<T>(encoder);

    private sealed class Decoding<T>(AvroValueDecoder<T> decoder) : IDeserializer<T> where T : class, ISpecificRecord, new()
    {
        public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
        {
            // A schema id seen before decodes synchronously; only the first value of an id waits for the registry.
            var pending = decoder.DecodeAsync(data.ToArray());
            var decoded = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            return decoded.Value ?? throw new InvalidDataException($"Not a {typeof(T).Name} in {context.Topic}: {decoded.Rejection}");
        }
    }

    private sealed class Encoding<T>(AvroValueEncoder<T> encoder) : ISerializer<T> where T : ISpecificRecord, new()
    {
        public byte[] Serialize(T data, SerializationContext context) => encoder.Encode(data);
    }
}
