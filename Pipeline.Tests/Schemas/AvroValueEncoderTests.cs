using Confluent.Kafka;
using Pipeline.Contracts;
using Pipeline.Core.Schemas;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Schemas;

/// <summary>The encoder writes what Confluent's Avro serializer writes, against a real registry over HTTP.</summary>
public sealed class AvroValueEncoderTests : IAsyncLifetime
{
    private TestSchemaRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestSchemaRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Its_bytes_equal_the_Confluent_serializers_and_decode_back()
    {
        const string topic = "transactions";
        var encoder = await AvroValueEncoder<Transaction>.CreateAsync(_registry.Client, _registry.Settings, topic);
        var transactions = Enumerable.Range(0, 50).Select(i => new Transaction
        {
            transactionId = $"t-{i}",
            customerId = $"c-{i % 7}",
            merchant = i % 2 == 0 ? "Lidl" : "Café Ü",
            category = "grocery",
            amountMinor = 1_000L * i - 3,
            tipMinor = i,
            currency = "EUR",
            timestamp = new DateTime(2026, 11, 24, 10, 15, 30, i, DateTimeKind.Utc)
        }).ToList();
        var serializer = AvroSerdes.Serializer<Transaction>(_registry.Client, _registry.Settings);
        var decoder = new AvroValueDecoder<Transaction>(_registry.Client);

        foreach (var transaction in transactions)
        {
            var encoded = encoder.Encode(transaction);
            Assert.Equal(await serializer.SerializeAsync(transaction, new SerializationContext(MessageComponentType.Value, topic)), encoded);
            var decoded = (await decoder.DecodeAsync(encoded)).Value!;
            Assert.Equal((transaction.transactionId, transaction.merchant, transaction.amountMinor, transaction.timestamp),
                (decoded.transactionId, decoded.merchant, decoded.amountMinor, decoded.timestamp));
        }
        Assert.Equal($"{topic}-value", encoder.Contract.Subject);
    }

    [Fact]
    public async Task An_incompatible_subject_fails_the_creation_naming_the_subject()
    {
        // Feedback under the transactions subject: a different record, which BACKWARD compatibility refuses.
        await AvroValueEncoder<Transaction>.CreateAsync(_registry.Client, _registry.Settings, "shared");

        var error = await Assert.ThrowsAsync<IncompatibleSchemaException>(() =>
            AvroValueEncoder<Feedback>.CreateAsync(_registry.Client, _registry.Settings, "shared"));

        Assert.Contains("shared-value", error.Message);
    }
}
