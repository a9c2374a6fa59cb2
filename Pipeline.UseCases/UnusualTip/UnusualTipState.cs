using System.Collections.Immutable;

namespace Pipeline.UseCases.UnusualTip;

/// <summary>The customer's restaurant tips inside the history window, oldest first.</summary>
public sealed record UnusualTipState(ImmutableList<TipRecord> Tips)
{
    public static readonly UnusualTipState Empty = new(ImmutableList<TipRecord>.Empty);
}

/// <summary>One restaurant visit's tip as a percentage of the bill.</summary>
public sealed record TipRecord(DateTimeOffset Timestamp, double Percent);
