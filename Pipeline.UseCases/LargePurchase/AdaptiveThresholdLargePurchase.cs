using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
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

        var (mean, deviation) = Baseline(window, settings.Sigmas);
        if (transaction.AmountMinor <= mean + settings.Sigmas * deviation)
            return Evaluation.Quiet(next);
        return Evaluation.Report(next, Message(transaction, mean, deviation, settings.Sigmas));
    }

    /// <summary>
    /// The finding as it is: by how much the purchase exceeds the largest amount that would not have been reported (in money
    /// and in percent), how many standard deviations it lies above the customer's average, and a word for the margin that
    /// says no more than the numbers do ("far above" only from twice that amount).
    /// </summary>
    public static string Message(CardTransaction transaction, double mean, double deviation, double sigmas)
    {
        var usualUpTo = (long)(mean + sigmas * deviation);
        var over = transaction.AmountMinor - usualUpTo;
        var ratio = usualUpTo > 0 ? (double)transaction.AmountMinor / usualUpTo : double.PositiveInfinity;
        var margin = ratio >= 2 ? "far above" : ratio >= 1.1 ? "well above" : "just above";
        var percent = 100.0 * over / Math.Max(usualUpTo, 1);
        var spread = deviation > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(transaction.AmountMinor - mean) / deviation:0.#} standard deviations above your average purchase of {Money.Format((long)Math.Round(mean), transaction.Currency)}")
            : $"while your usual purchases are all {Money.Format((long)Math.Round(mean), transaction.Currency)}";
        return string.Create(CultureInfo.InvariantCulture,
            $"Large purchase: {Money.Format(transaction.AmountMinor, transaction.Currency)} at {transaction.Merchant}, {margin} your usual spending: " +
            $"{Money.Format(over, transaction.Currency)} ({(percent < 0.1 ? "under 0.1" : percent.ToString("0.#", CultureInfo.InvariantCulture))} %) over " +
            $"the {Money.Format(usualUpTo, transaction.Currency)} your purchases typically stay under, {spread}.");
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
    private static (double Mean, double Deviation) Baseline(ImmutableList<PastPurchase> window, double sigmas)
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
            return MeanAndDeviation(scratch[..usual]);
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
