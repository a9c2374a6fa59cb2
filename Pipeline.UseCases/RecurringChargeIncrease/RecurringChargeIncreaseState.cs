using System.Collections.Immutable;

namespace Pipeline.UseCases.RecurringChargeIncrease;

/// <summary>Per merchant charged within the history window, the run of charges that ends with the latest one.</summary>
public sealed record RecurringChargeIncreaseState(ImmutableDictionary<string, ChargeSeries> SeriesByMerchant)
{
    public static readonly RecurringChargeIncreaseState Empty = new(ImmutableDictionary<string, ChargeSeries>.Empty);
}

/// <summary>
/// The times of the charges in a row, each a cadence after the one before, that were of exactly one amount,
/// oldest first. Only charges within the history window are kept, so an entity rebuilt from the history
/// store holds the same series as one that saw every charge.
/// </summary>
public sealed record ChargeSeries(long AmountMinor, ImmutableList<DateTimeOffset> ChargedAt)
{
    public DateTimeOffset LastChargedAt => ChargedAt[^1];

    public static ChargeSeries Start(long amountMinor, DateTimeOffset at) => new(amountMinor, [at]);

    public ChargeSeries Extend(DateTimeOffset at) => this with { ChargedAt = ChargedAt.Add(at) };

    /// <summary>The series without charges before <paramref name="start"/>, or null when none is left.</summary>
    /// <remarks>
    /// The times only grow (each is a cadence after the one before), so what leaves is a prefix. Counting it needs no
    /// predicate, which mattered: this runs for every merchant of the customer on every transaction.
    /// </remarks>
    public ChargeSeries? Since(DateTimeOffset start)
    {
        var leaving = 0;
        while (leaving < ChargedAt.Count && ChargedAt[leaving] < start)
            leaving++;
        return leaving == 0 ? this : leaving == ChargedAt.Count ? null : this with { ChargedAt = ChargedAt.RemoveRange(0, leaving) };
    }
}
