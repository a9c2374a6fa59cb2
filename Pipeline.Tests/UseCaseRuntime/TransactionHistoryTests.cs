using Confluent.Kafka;
using Pipeline.Contracts;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.UseCaseRuntime;

/// <summary>The entity rebuild reads the history store with the live stages' decoder.</summary>
public sealed class TransactionHistoryTests : IAsyncLifetime
{
    private static readonly DateTime When = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private TestSchemaRegistry _registry = null!;
    private TempHistoryStore _store = null!;

    public async Task InitializeAsync()
    {
        _registry = await TestSchemaRegistry.StartAsync();
        _store = await TempHistoryStore.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _registry.DisposeAsync();
    }

    private static Transaction Charge(string id, int minute, long amountMinor) => new()
    {
        transactionId = id, customerId = "c-1", merchant = "Netflix", category = "subscription", amountMinor = amountMinor, tipMinor = 0,
        currency = "EUR", timestamp = When.AddMinutes(minute)
    };

    private static HistoryRow Row(Transaction transaction, byte[] payload) =>
        new(HistoryTable.Records, transaction.customerId, new DateTimeOffset(transaction.timestamp), transaction.transactionId, nameof(Transaction), payload);

    [Fact]
    public async Task Transactions_encoded_by_upstream_or_by_a_Confluent_client_are_read_back_in_event_time_order()
    {
        var encoder = await AvroValueEncoder<Transaction>.CreateAsync(_registry.Client, _registry.Settings, "transactions");
        var confluent = AvroSerdes.Serializer<Transaction>(_registry.Client, _registry.Settings);
        var second = Charge("t-2", 2, 1_599);
        var first = Charge("t-1", 1, 1_299);
        await _store.Store.AppendAsync([
            Row(second, encoder.Encode(second)),
            Row(first, await confluent.SerializeAsync(first, new SerializationContext(MessageComponentType.Value, "transactions")))
        ]);

        var read = await new TransactionHistory(_store.Store, _registry.Client, pageSize: 1, maxConcurrentReads: 4).ReadAsync("c-1", When, When.AddHours(1));

        Assert.Equal(["t-1", "t-2"], read.Select(t => t.TransactionId));
        Assert.Equal([1_299L, 1_599L], read.Select(t => t.AmountMinor));
    }

    [Fact]
    public async Task A_stored_record_that_is_not_a_readable_transaction_fails_the_read_naming_the_record_and_the_cause()
    {
        var charge = Charge("t-1", 1, 1_299);
        await _store.Store.AppendAsync([Row(charge, [0, 0, 0, 0x7f, 0x7f, 2])]);

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new TransactionHistory(_store.Store, _registry.Client, pageSize: 10, maxConcurrentReads: 4).ReadAsync("c-1", When, When.AddHours(1)));

        Assert.Contains("'t-1' of customer 'c-1'", failure.Message);
        Assert.Contains("unknown-schema-id", failure.Message);
        Assert.Contains("pipeline.schema-registry", failure.Message);
    }
}
