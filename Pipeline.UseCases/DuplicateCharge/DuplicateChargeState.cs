using System.Collections.Immutable;

namespace Pipeline.UseCases.DuplicateCharge;

/// <summary>The customer's charges inside the duplicate window, oldest first.</summary>
public sealed record DuplicateChargeState(ImmutableList<RecentCharge> RecentCharges)
{
    public static readonly DuplicateChargeState Empty = new(ImmutableList<RecentCharge>.Empty);
}

/// <summary>One recent charge: what a later duplicate would repeat.</summary>
public sealed record RecentCharge(string Merchant, long AmountMinor, string Currency, DateTimeOffset Timestamp);
