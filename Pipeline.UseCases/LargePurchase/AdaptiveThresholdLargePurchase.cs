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

    public override string Variant => "B";

    public override AdaptiveThresholdState InitialState => AdaptiveThresholdState.Empty;

    public override AdaptiveThresholdSettings ReadSettings(ConfigSection section) => AdaptiveThresholdSettings.Create(section.Section("variant-b"));

    public override Evaluation<AdaptiveThresholdState> Evaluate(
        AdaptiveThresholdState state, CardTransaction transaction, AdaptiveThresholdSettings settings, UseCaseContext context)
    {
        var window = state.Purchases.RemoveAll(p => p.Timestamp < context.HistoryStart(transaction));
        var next = new AdaptiveThresholdState(window.Add(new PastPurchase(transaction.Timestamp, transaction.AmountMinor)));
        if (window.Count < settings.MinHistory)
            return Evaluation.Quiet(next);

        var threshold = Threshold(window.Select(p => (double)p.AmountMinor).ToList(), settings.Sigmas);
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
    private static double Threshold(IReadOnlyList<double> amounts, double sigmas)
    {
        var median = Median(amounts);
        var robustDeviation = 1.4826 * Median(amounts.Select(a => Math.Abs(a - median)).ToList());
        var usual = robustDeviation > 0 ? amounts.Where(a => a <= median + sigmas * robustDeviation).ToList() : amounts;
        var (mean, deviation) = MeanAndDeviation(usual);
        return mean + sigmas * deviation;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static (double Mean, double Deviation) MeanAndDeviation(IReadOnlyList<double> amounts)
    {
        var mean = amounts.Average();
        return (mean, Math.Sqrt(amounts.Average(a => (a - mean) * (a - mean))));
    }
}
