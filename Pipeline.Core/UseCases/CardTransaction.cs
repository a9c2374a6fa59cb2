namespace Pipeline.Core.UseCases;

/// <summary>
/// One customer card transaction as use cases see it: a plain domain record, independent of its
/// Kafka and Avro form. Money is in minor units (cents) of <see cref="Currency"/>; the tip is separate
/// from the amount.
/// </summary>
public sealed record CardTransaction(
    string TransactionId,
    string CustomerId,
    string Merchant,
    string Category,
    long AmountMinor,
    long TipMinor,
    string Currency,
    DateTimeOffset Timestamp);
