using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Avro;
using Avro.IO;
using Avro.Specific;
using Confluent.SchemaRegistry;
using Pipeline.Core.DeadLetters;
using Schema = Avro.Schema;

namespace Pipeline.Core.Schemas;

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
    private readonly Schema _readerSchema = new T().Schema;

    // What a schema id stands for never changes in a registry, so parsing and resolving it once per id is enough
    // (doing it per record cost more CPU than the rest of decoding). With the resolving reader cached too, a record
    // whose schema id was seen before decodes synchronously, without a task or the Confluent deserializer's state machines.
    // A resolving reader is safe to share between threads once built (Confluent's deserializer shares one per id too).
    private readonly ConcurrentDictionary<int, WriterSchema> _writers = new();

    public AvroValueDecoder(ISchemaRegistryClient client) => _client = client;

    /// <summary>Decodes one value; completes synchronously once its schema id is known.</summary>
    public ValueTask<ParseResult<T>> DecodeAsync(ReadOnlyMemory<byte> value)
    {
        if (value.Length < HeaderLength || value.Span[0] != 0)
            return ValueTask.FromResult(ParseResult<T>.Rejected(RejectionReason.NotWireFormat, value.Length < HeaderLength
                ? $"The value has {value.Length} bytes, fewer than the 5-byte Confluent wire-format header (magic byte 0 and schema id)."
                : $"The value starts with byte 0x{value.Span[0]:x2}, not the Confluent wire-format magic byte 0x00."));

        var schemaId = BinaryPrimitives.ReadInt32BigEndian(value.Span[1..HeaderLength]);
        return _writers.TryGetValue(schemaId, out var writer)
            ? ValueTask.FromResult(Decode(value, schemaId, writer))
            : ResolveThenDecodeAsync(value, schemaId);
    }

    private async ValueTask<ParseResult<T>> ResolveThenDecodeAsync(ReadOnlyMemory<byte> value, int schemaId)
    {
        WriterSchema writer;
        try
        {
            var registered = await _client.GetSchemaAsync(schemaId).ConfigureAwait(false);
            if (registered.SchemaType != SchemaType.Avro)
                return ParseResult<T>.Rejected(RejectionReason.SchemaMismatch, $"Schema id {schemaId} is a {registered.SchemaType} schema, not Avro.");
            writer = _writers.GetOrAdd(schemaId, Resolve(schemaId, Schema.Parse(registered.SchemaString)));
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == 40403)
        {
            return ParseResult<T>.Rejected(RejectionReason.UnknownSchemaId, $"Schema id {schemaId} is not known to the schema registry.");
        }
        return Decode(value, schemaId, writer);
    }

    private static ParseResult<T> Decode(ReadOnlyMemory<byte> value, int schemaId, WriterSchema writer)
    {
        if (writer.Reader is not { } reader)
            return ParseResult<T>.Rejected(RejectionReason.SchemaMismatch, writer.Mismatch!);
        try
        {
            using var avro = AvroBody(value);
            return ParseResult<T>.Accepted(reader.Read(default!, new BinaryDecoder(avro)));
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

    /// <summary>The bytes after the wire-format header, as the stream Avro's decoder reads (no copy when they are in an array).</summary>
    private static MemoryStream AvroBody(ReadOnlyMemory<byte> value) =>
        MemoryMarshal.TryGetArray(value, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset + HeaderLength, segment.Count - HeaderLength, writable: false)
            : new MemoryStream(value[HeaderLength..].ToArray(), writable: false);

    private WriterSchema Resolve(int schemaId, Schema writer) => _readerSchema.CanRead(writer)
        ? new WriterSchema(writer, new SpecificDatumReader<T>(writer, _readerSchema), null)
        : new WriterSchema(writer, null, $"The value was written with {writer.Fullname} (schema id {schemaId}), which {_readerSchema.Fullname} cannot read: " +
                                         SchemaResolution.Explain(writer, _readerSchema));

    /// <summary>A writer schema, and either the reader that resolves it to <typeparamref name="T"/> or why <typeparamref name="T"/> cannot read it.</summary>
    private sealed record WriterSchema(Schema Schema, SpecificDatumReader<T>? Reader, string? Mismatch);

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
