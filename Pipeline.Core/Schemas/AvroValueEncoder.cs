using System.Buffers.Binary;
using Avro.IO;
using Avro.Specific;
using Confluent.SchemaRegistry;

namespace Pipeline.Core.Schemas;

/// <summary>
/// Encodes values of the generated contract <typeparamref name="T"/> in the Confluent wire format (magic byte 0, the
/// 4-byte big-endian schema id, Avro binary) under the id that the start-up contract check registered or found for the
/// topic's subject. Encoding is synchronous, with one Avro writer for every value: the Confluent serializer's per-call
/// task, lock and subject lookup cost 4 µs and 3.3 KB per transaction, more than ten times the Avro encoding itself.
/// </summary>
public sealed class AvroValueEncoder<T> where T : ISpecificRecord, new()
{
    private const int HeaderLength = 5;
    private readonly byte[] _header = new byte[HeaderLength];
    private readonly SpecificDefaultWriter _writer = new(new T().Schema);

    private AvroValueEncoder(RegisteredContract contract)
    {
        Contract = contract;
        BinaryPrimitives.WriteInt32BigEndian(_header.AsSpan(1), contract.SchemaId);
    }

    /// <summary>The subject and schema id every encoded value carries.</summary>
    public RegisteredContract Contract { get; }

    /// <summary>Checks <typeparamref name="T"/> against the subject of <paramref name="topic"/> (see <see cref="SchemaContract"/>), then builds the encoder.</summary>
    /// <exception cref="IncompatibleSchemaException">The schema breaks the subject's compatibility level.</exception>
    /// <exception cref="SchemaNotRegisteredException">Auto-register is off and the schema is not registered.</exception>
    public static async Task<AvroValueEncoder<T>> CreateAsync(
        ISchemaRegistryClient client, SchemaRegistrySettings settings, string topic, CancellationToken cancellationToken = default) =>
        new(await SchemaContract.EnsureCompatibleAsync<T>(client, settings, topic, cancellationToken).ConfigureAwait(false));

    /// <summary>The value in wire format.</summary>
    public byte[] Encode(T value)
    {
        using var stream = new MemoryStream(256);
        stream.Write(_header);
        _writer.Write(value, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
