using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.LargePurchase;

/// <summary>
/// LargePurchase variant B: reports a purchase above the customer's own spending pattern, mean + k standard
/// deviations of their purchases in the history window (k = <see cref="AdaptiveThresholdSettings.Sigmas"/>),
/// once there are <see cref="AdaptiveThresholdSettings.MinHistory"/> of them. Reported purchases stay out of
/// the baseline, so one large purchase does not hide the next.
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
        var baseline = state.Purchases.RemoveAll(p => p.Timestamp < context.HistoryStart(transaction));
        var purchase = new PastPurchase(transaction.Timestamp, transaction.AmountMinor);

        if (baseline.Count < settings.MinHistory)
            return Evaluation.Quiet(new AdaptiveThresholdState(baseline.Add(purchase)));

        var mean = baseline.Average(p => (double)p.AmountMinor);
        var deviation = Math.Sqrt(baseline.Average(p => Math.Pow(p.AmountMinor - mean, 2)));
        var threshold = mean + settings.Sigmas * deviation;
        if (transaction.AmountMinor <= threshold)
            return Evaluation.Quiet(new AdaptiveThresholdState(baseline.Add(purchase)));

        return Evaluation.Report(new AdaptiveThresholdState(baseline),
            $"Large purchase: {Money.Format(transaction.AmountMinor, transaction.Currency)} at {transaction.Merchant}, " +
            $"far above your usual spending (typically up to {Money.Format((long)threshold, transaction.Currency)}).");
    }
}
