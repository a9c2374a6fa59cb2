using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Pipeline.Core.Schemas;
using Schema = Avro.Schema;

namespace Pipeline.Core.Upstream;

/// <summary>
/// Decodes Confluent wire-format Avro values into <typeparamref name="T"/>, telling bad input apart by kind:
/// not wire format, unknown schema id, a writer schema <typeparamref name="T"/> cannot read, truncated or corrupt Avro.
/// A registry that cannot be reached is not bad input: that error is thrown, so the stream retries instead of
/// dead-lettering good records.
/// </summary>
public sealed class AvroValueDecoder<T> where T : class, ISpecificRecord, new()
{
    private const int HeaderLength = 5;
    private readonly ISchemaRegistryClient _client;
    private readonly AvroDeserializer<T> _deserializer;
    private readonly Schema _readerSchema = new T().Schema;

    // What a schema id stands for never changes in a registry, so parsing and resolving it once per id is enough
    // (doing it per record cost more CPU than the rest of decoding).
    private readonly ConcurrentDictionary<int, WriterSchema> _writers = new();

    public AvroValueDecoder(ISchemaRegistryClient client)
    {
        _client = client;
        _deserializer = AvroSerdes.Deserializer<T>(client);
    }

    /// <summary>Decodes one value read from <paramref name="topic"/>.</summary>
    public async Task<ParseResult<T>> DecodeAsync(ReadOnlyMemory<byte> value, string topic)
    {
        if (value.Length < HeaderLength || value.Span[0] != 0)
            return ParseResult<T>.Rejected(RejectionReason.NotWireFormat, value.Length < HeaderLength
                ? $"The value has {value.Length} bytes, fewer than the 5-byte Confluent wire-format header (magic byte 0 and schema id)."
                : $"The value starts with byte 0x{value.Span[0]:x2}, not the Confluent wire-format magic byte 0x00.");

        var schemaId = BinaryPrimitives.ReadInt32BigEndian(value.Span[1..HeaderLength]);
        if (!_writers.TryGetValue(schemaId, out var writer))
        {
            try
            {
                var registered = await _client.GetSchemaAsync(schemaId);
                if (registered.SchemaType != SchemaType.Avro)
                    return ParseResult<T>.Rejected(RejectionReason.SchemaMismatch, $"Schema id {schemaId} is a {registered.SchemaType} schema, not Avro.");
                writer = Resolve(schemaId, Schema.Parse(registered.SchemaString));
                _writers[schemaId] = writer;
            }
            catch (SchemaRegistryException e) when (e.ErrorCode == 40403)
            {
                return ParseResult<T>.Rejected(RejectionReason.UnknownSchemaId, $"Schema id {schemaId} is not known to the schema registry.");
            }
        }
        if (writer.Mismatch is { } mismatch)
            return ParseResult<T>.Rejected(RejectionReason.SchemaMismatch, mismatch);

        try
        {
            var record = await _deserializer.DeserializeAsync(value, isNull: false, new SerializationContext(MessageComponentType.Value, topic));
            return ParseResult<T>.Accepted(record);
        }
        catch (Exception e) when (IsTruncation(e))
        {
            return ParseResult<T>.Rejected(RejectionReason.TruncatedAvro,
                $"The value ends before its {writer.Schema.Fullname} record is complete ({value.Length - HeaderLength} bytes of Avro after the header).");
        }
        catch (Exception e) when (e is AvroException or InvalidDataException or OverflowException or ArgumentException or FormatException)
        {
            return ParseResult<T>.Rejected(RejectionReason.InvalidAvro, $"The value is not valid Avro of {writer.Schema.Fullname} (schema id {schemaId}): {e.Message}");
        }
    }

    private WriterSchema Resolve(int schemaId, Schema writer) => _readerSchema.CanRead(writer)
        ? new WriterSchema(writer, null)
        : new WriterSchema(writer, $"The value was written with {writer.Fullname} (schema id {schemaId}), which {_readerSchema.Fullname} cannot read: " +
                                   SchemaResolution.Explain(writer, _readerSchema));

    /// <summary>A writer schema, and why <typeparamref name="T"/> cannot read it (null when it can).</summary>
    private sealed record WriterSchema(Schema Schema, string? Mismatch);

    // Apache.Avro's binary decoder reports running out of bytes as AvroException("End of stream reached ...")
    // (with " in field X" appended per enclosing field) rather than as an EndOfStreamException.
    private static bool IsTruncation(Exception e) => e switch
    {
        EndOfStreamException => true,
        AvroException avro when avro.Message.StartsWith("End of stream reached", StringComparison.Ordinal) => true,
        AggregateException { InnerException: { } inner } => IsTruncation(inner),
        _ => e.InnerException is { } inner && IsTruncation(inner)
    };
}
