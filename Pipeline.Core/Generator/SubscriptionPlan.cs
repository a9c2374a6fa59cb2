namespace Pipeline.Core.Generator;

/// <summary>One subscription of a synthetic customer: charged about every 30 days, sometimes at a higher price.</summary>
internal sealed class SubscriptionPlan(string merchant, long priceMinor, DateTimeOffset firstChargeAt)
{
    public string Merchant { get; } = merchant;

    public long PriceMinor { get; set; } = priceMinor;

    public DateTimeOffset NextChargeAt { get; set; } = firstChargeAt;

    /// <summary>How many charges in a row were at the current price.</summary>
    public int ChargesAtPrice { get; set; }
}
