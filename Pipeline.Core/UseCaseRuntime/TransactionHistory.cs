using Confluent.SchemaRegistry;
using Pipeline.Contracts;
using Pipeline.Core.DeadLetters;
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
    // The live stages' decoder: schema ids resolved once each, the same reader schema and the same refusals.
    private readonly AvroValueDecoder<Transaction> _decoder = new(registry);

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
                var decoded = await _decoder.DecodeAsync(row.Payload).ConfigureAwait(false);
                if (decoded.Value is not { } value)
                    throw Undecodable(row, decoded.Rejection!);
                transactions.Add((row, value.ToCardTransaction()));
            }
            after = page.Next;
        } while (after is not null);
        return transactions;
    }

    /// <summary>A stored record that is not a readable transaction: upstream stores only what it encoded, so the store or the registry changed under it.</summary>
    private static InvalidDataException Undecodable(HistoryRow row, Rejection rejection) => new(
        $"The history store's record '{row.Id}' of customer '{row.CustomerId}' is not a readable transaction ({rejection}). Upstream stores only " +
        "values it encoded, so the stored bytes were changed or the schema registry is not the one upstream registered the schema with: " +
        "point pipeline.schema-registry at that registry, or remove the record from the history store.");
}
