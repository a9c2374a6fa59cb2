namespace Pipeline.Core.Generator;

/// <summary>A synthetic transaction before it gets its global transaction id and JSON form.</summary>
internal sealed record TransactionDraft(
    string Merchant,
    string Category,
    long AmountMinor,
    long TipMinor,
    DateTimeOffset Timestamp,
    string? Behaviour);
