using System.Buffers;
using System.Collections.Immutable;
using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.LargePurchase;

/// <summary>
/// LargePurchase variant B: reports a purchase above the customer's own spending pattern, mean + k standard
/// deviations of their purchases in the history window (k = <see cref="AdaptiveThresholdSettings.Sigmas"/>),
/// once there are <see cref="AdaptiveThresholdSettings.MinHistory"/> of them. Purchases far above the rest are left out
/// of the baseline, so one large purchase does not hide the next.
/// </summary>
public sealed class AdaptiveThresholdLargePurchase : UseCase<AdaptiveThresholdState, AdaptiveThresholdSettings>
{
    public override string Name => LargePurchaseName.Value;

    public override string? TargetBehaviour => "large-purchase";

    public override string Variant => "B";

    public override AdaptiveThresholdState InitialState => AdaptiveThresholdState.Empty;

    public override AdaptiveThresholdSettings ReadSettings(ConfigSection section) => AdaptiveThresholdSettings.Create(section.Section("variant-b"));

    public override Evaluation<AdaptiveThresholdState> Evaluate(
        AdaptiveThresholdState state, CardTransaction transaction, AdaptiveThresholdSettings settings, UseCaseContext context)
    {
        var window = TimeOrderedWindow.Since(state.Purchases, p => p.Timestamp, context.HistoryStart(transaction));
        var next = new AdaptiveThresholdState(TimeOrderedWindow.Insert(window, new PastPurchase(transaction.Timestamp, transaction.AmountMinor), p => p.Timestamp));
        if (window.Count < settings.MinHistory)
            return Evaluation.Quiet(next);

        var threshold = Threshold(window, settings.Sigmas);
        if (transaction.AmountMinor <= threshold)
            return Evaluation.Quiet(next);

        return Evaluation.Report(next,
            $"Large purchase: {Money.Format(transaction.AmountMinor, transaction.Currency)} at {transaction.Merchant}, " +
            $"far above your usual spending (typically up to {Money.Format((long)threshold, transaction.Currency)}).");
    }

    /// <summary>
    /// Mean + k standard deviations of the usual purchases: those at most k robust deviations (1.4826 x the median absolute
    /// deviation) above the median. So earlier large purchases do not raise the bar for the next one, and the result depends
    /// only on the purchases in the window, not on what was reported before it: a state rebuilt from the history store
    /// decides the same.
    /// </summary>
    /// <remarks>
    /// Works in one pooled buffer: this runs for every purchase over a window of ~150, and lists per step made it most of
    /// the bytes all the reference use cases allocate per record.
    /// </remarks>
    private static double Threshold(ImmutableList<PastPurchase> window, double sigmas)
    {
        var count = window.Count;
        var buffer = ArrayPool<double>.Shared.Rent(2 * count);
        try
        {
            var amounts = buffer.AsSpan(0, count);
            var scratch = buffer.AsSpan(count, count);
            var i = 0;
            foreach (var purchase in window)
                amounts[i++] = purchase.AmountMinor;

            amounts.CopyTo(scratch);
            var median = MedianInPlace(scratch);
            for (i = 0; i < count; i++)
                scratch[i] = Math.Abs(amounts[i] - median);
            var robustDeviation = 1.4826 * MedianInPlace(scratch);

            var usual = 0;
            foreach (var amount in amounts)
                if (robustDeviation <= 0 || amount <= median + sigmas * robustDeviation)
                    scratch[usual++] = amount;
            var (mean, deviation) = MeanAndDeviation(scratch[..usual]);
            return mean + sigmas * deviation;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>The median of the values, which it sorts.</summary>
    private static double MedianInPlace(Span<double> values)
    {
        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static (double Mean, double Deviation) MeanAndDeviation(ReadOnlySpan<double> amounts)
    {
        var sum = 0.0;
        foreach (var amount in amounts)
            sum += amount;
        var mean = sum / amounts.Length;
        var squares = 0.0;
        foreach (var amount in amounts)
            squares += (amount - mean) * (amount - mean);
        return (mean, Math.Sqrt(squares / amounts.Length));
    }
}
