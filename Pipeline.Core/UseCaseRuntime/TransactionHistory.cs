using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Pipeline.Contracts;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// A customer's transactions from the history store, where upstream writes each one before producing it: what an
/// entity folds over to rebuild its state on activation. At most <paramref name="maxConcurrentReads"/> reads of one store
/// run at once on this node (<see cref="RebuildLimit"/>); the others wait for a slot.
/// </summary>
public sealed class TransactionHistory(IHistoryStore store, ISchemaRegistryClient registry, int pageSize, int maxConcurrentReads)
{
    private readonly RebuildLimit _limit = RebuildLimit.Of(store, maxConcurrentReads);
    private readonly Confluent.SchemaRegistry.Serdes.AvroDeserializer<Transaction> _deserializer = AvroSerdes.Deserializer<Transaction>(registry);

    /// <summary>The customer's transactions with <paramref name="from"/> &lt;= event time &lt;= <paramref name="through"/>, in event-time then id order.</summary>
    public async Task<IReadOnlyList<CardTransaction>> ReadAsync(string customerId, DateTimeOffset from, DateTimeOffset through, CancellationToken cancellationToken = default) =>
        (await ReadRowsAsync(customerId, from, through, cancellationToken).ConfigureAwait(false)).Select(r => r.Transaction).ToList();

    /// <summary>As <see cref="ReadAsync"/>, each transaction with the row it was read from.</summary>
    public Task<IReadOnlyList<(HistoryRow Row, CardTransaction Transaction)>> ReadRowsAsync(
        string customerId, DateTimeOffset from, DateTimeOffset through, CancellationToken cancellationToken = default) =>
        _limit.RunAsync(() => ReadAllPagesAsync(customerId, from, through, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<(HistoryRow Row, CardTransaction Transaction)>> ReadAllPagesAsync(
        string customerId, DateTimeOffset from, DateTimeOffset through, CancellationToken cancellationToken)
    {
        var query = new HistoryQuery(HistoryTable.Records, customerId, from, through.AddMilliseconds(1));
        var transactions = new List<(HistoryRow, CardTransaction)>();
        HistoryCursor? after = null;
        do
        {
            var page = await store.ReadPageAsync(query, after, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var row in page.Rows)
            {
                var value = await _deserializer.DeserializeAsync(row.Payload, false, new SerializationContext(MessageComponentType.Value, row.Kind))
                    .ConfigureAwait(false);
                transactions.Add((row, value.ToCardTransaction()));
            }
            after = page.Next;
        } while (after is not null);
        return transactions;
    }
}
