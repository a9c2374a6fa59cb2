using Pipeline.Contracts;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>The Avro <see cref="Transaction"/> contract as use cases see it.</summary>
public static class TransactionMapping
{
    public static CardTransaction ToCardTransaction(this Transaction transaction) => new(
        transaction.transactionId,
        transaction.customerId,
        transaction.merchant,
        transaction.category,
        transaction.amountMinor,
        transaction.tipMinor,
        transaction.currency,
        new DateTimeOffset(DateTime.SpecifyKind(transaction.timestamp, DateTimeKind.Utc)));
}
