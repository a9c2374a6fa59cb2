namespace Pipeline.Core.Generator;

/// <summary>
/// One synthetic raw record: the JSON value for <c>transactions.raw</c> as UTF-8, its Kafka key
/// (the customer id), its event timestamp, and the injected behaviour it carries (an <see cref="InjectedBehaviours"/> key), if any.
/// </summary>
public sealed record GeneratedRecord(
    string TransactionId,
    string Key,
    DateTimeOffset Timestamp,
    byte[] Value,
    string? Behaviour);
