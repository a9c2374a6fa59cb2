using Confluent.Kafka;
using Pipeline.Contracts;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Schemas;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Schemas;

/// <summary>The decoder tells each kind of bad Avro value apart, against a real registry over HTTP.</summary>
public sealed class AvroValueDecoderTests : IAsyncLifetime
{
    private const string Topic = "transactions";
    private static readonly DateTime When = new(2026, 11, 24, 10, 15, 30, 123, DateTimeKind.Utc);
    private TestSchemaRegistry _registry = null!;
    private AvroValueDecoder<Transaction> _decoder = null!;

    public async Task InitializeAsync()
    {
        _registry = await TestSchemaRegistry.StartAsync();
        _decoder = new AvroValueDecoder<Transaction>(_registry.Client);
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private async Task<byte[]> TransactionBytesAsync() =>
        await AvroSerdes.Serializer<Transaction>(_registry.Client, _registry.Settings).SerializeAsync(
            new Transaction { transactionId = "t-1", customerId = "c-1", merchant = "Lidl", category = "grocery", amountMinor = 4_210, tipMinor = 0, currency = "EUR", timestamp = When },
            new SerializationContext(MessageComponentType.Value, Topic));

    [Fact]
    public async Task A_valid_value_is_decoded()
    {
        var result = await _decoder.DecodeAsync(await TransactionBytesAsync());

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(4_210L, result.Value!.amountMinor);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 0, 1 })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 2, 3 })]
    public async Task Values_without_the_wire_format_header_are_not_wire_format(byte[] value) =>
        Assert.Equal(RejectionReason.NotWireFormat, (await _decoder.DecodeAsync(value)).Rejection!.Reason);

    [Fact]
    public async Task An_unknown_schema_id_is_reported_as_such()
    {
        var bytes = await TransactionBytesAsync();
        bytes[1] = 0x7F; // schema id 0x7F0000xx: never registered

        var rejection = (await _decoder.DecodeAsync(bytes)).Rejection!;

        Assert.Equal(RejectionReason.UnknownSchemaId, rejection.Reason);
    }

    [Fact]
    public async Task A_truncated_value_is_truncated_avro()
    {
        var bytes = await TransactionBytesAsync();

        var rejection = (await _decoder.DecodeAsync(bytes.AsMemory(0, bytes.Length - 4))).Rejection!;

        Assert.True(RejectionReason.TruncatedAvro == rejection.Reason, rejection.ToString());
    }

    [Fact]
    public async Task A_corrupt_value_is_invalid_avro()
    {
        var bytes = await TransactionBytesAsync();
        bytes[5] = 0x01; // zig-zag -1: a negative string length for transactionId

        var rejection = (await _decoder.DecodeAsync(bytes)).Rejection!;

        Assert.True(RejectionReason.InvalidAvro == rejection.Reason, rejection.ToString());
    }

    [Fact]
    public async Task Valid_avro_of_another_record_is_a_schema_mismatch_naming_both_records()
    {
        var feedback = await AvroSerdes.Serializer<Feedback>(_registry.Client, _registry.Settings).SerializeAsync(
            new Feedback { feedbackId = "f", useCase = "u", variant = "A", customerId = "c", transactionId = "t", message = "m", timestamp = When },
            new SerializationContext(MessageComponentType.Value, "feedback"));

        var rejection = (await _decoder.DecodeAsync(feedback)).Rejection!;

        Assert.Equal(RejectionReason.SchemaMismatch, rejection.Reason);
        Assert.Contains("Pipeline.Contracts.Feedback", rejection.Message);
        Assert.Contains("Pipeline.Contracts.Transaction", rejection.Message);
    }

    [Fact]
    public async Task Randomly_corrupted_values_are_decoded_or_rejected_and_never_throw()
    {
        var valid = await TransactionBytesAsync();
        var random = new Random(7);
        var reasons = new HashSet<RejectionReason>();

        for (var i = 0; i < 3_000; i++)
        {
            var bytes = (byte[])valid.Clone();
            var at = random.Next(i % 2 == 0 ? 5 : 0, bytes.Length); // mostly keep the header, so the Avro body is exercised
            bytes[at] = (byte)random.Next(256);
            var length = random.Next(4) == 0 ? random.Next(bytes.Length) : bytes.Length;

            var result = await _decoder.DecodeAsync(bytes.AsMemory(0, length));

            Assert.True(result.IsAccepted || result.Rejection is not null, $"input #{i}");
            if (result.Rejection is { } rejection)
                reasons.Add(rejection.Reason);
        }

        Assert.Superset(new HashSet<RejectionReason> { RejectionReason.NotWireFormat, RejectionReason.UnknownSchemaId, RejectionReason.TruncatedAvro }, reasons);
    }
}
