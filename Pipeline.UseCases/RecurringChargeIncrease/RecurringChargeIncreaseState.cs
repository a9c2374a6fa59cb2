using System.Collections.Immutable;

namespace Pipeline.UseCases.RecurringChargeIncrease;

/// <summary>Per merchant charged within the history window, the run of charges that ends with the latest one.</summary>
public sealed record RecurringChargeIncreaseState(ImmutableDictionary<string, ChargeSeries> SeriesByMerchant)
{
    public static readonly RecurringChargeIncreaseState Empty = new(ImmutableDictionary<string, ChargeSeries>.Empty);
}

/// <summary>
/// The latest charge of a merchant and how many charges in a row, each a cadence after the one before,
/// were of exactly that amount (1 when the latest one started a new run).
/// </summary>
public sealed record ChargeSeries(long AmountMinor, DateTimeOffset LastChargedAt, int ChargesAtAmount);
