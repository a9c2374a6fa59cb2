using System.Collections.Immutable;

namespace Pipeline.UseCases.LargePurchase;

/// <summary>The customer's purchases inside the history window, oldest first: the spending baseline.</summary>
public sealed record AdaptiveThresholdState(ImmutableList<PastPurchase> Purchases)
{
    public static readonly AdaptiveThresholdState Empty = new(ImmutableList<PastPurchase>.Empty);
}

/// <summary>One purchase amount in the baseline.</summary>
public sealed record PastPurchase(DateTimeOffset Timestamp, long AmountMinor);
