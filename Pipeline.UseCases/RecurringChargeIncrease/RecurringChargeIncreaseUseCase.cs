using System.Globalization;
using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.RecurringChargeIncrease;

/// <summary>
/// Reports a recurring charge that went up: the merchant charged the customer the same amount at a
/// monthly cadence at least <see cref="RecurringChargeIncreaseSettings.MinPreviousCharges"/> times, and
/// this charge, again a cadence later, is more than <see cref="RecurringChargeIncreaseSettings.MinIncreasePercent"/>
/// above that amount.
/// </summary>
public sealed class RecurringChargeIncreaseUseCase : UseCase<RecurringChargeIncreaseState, RecurringChargeIncreaseSettings>
{
    public override string Name => "RecurringChargeIncrease";

    public override string? TargetBehaviour => "recurring-charge-increase";

    public override RecurringChargeIncreaseState InitialState => RecurringChargeIncreaseState.Empty;

    public override RecurringChargeIncreaseSettings ReadSettings(ConfigSection section) => RecurringChargeIncreaseSettings.Create(section);

    /// <summary>The earliest of the equal charges before an increase lies up to that many cadences (plus tolerance) back.</summary>
    public override TimeSpan HistoryNeeded(RecurringChargeIncreaseSettings settings) =>
        settings.MinPreviousCharges * (settings.Cadence + settings.CadenceTolerance);

    public override Evaluation<RecurringChargeIncreaseState> Evaluate(
        RecurringChargeIncreaseState state, CardTransaction transaction, RecurringChargeIncreaseSettings settings, UseCaseContext context)
    {
        var historyStart = context.HistoryStart(transaction);
        var series = state.SeriesByMerchant;
        foreach (var (merchant, run) in state.SeriesByMerchant)
        {
            var kept = run.Since(historyStart);
            if (kept is null)
                series = series.Remove(merchant);
            else if (!ReferenceEquals(kept, run))
                series = series.SetItem(merchant, kept);
        }

        series.TryGetValue(transaction.Merchant, out var previous);
        var onCadence = previous is not null
            && (transaction.Timestamp - previous.LastChargedAt - settings.Cadence).Duration() <= settings.CadenceTolerance;

        var current = onCadence && previous!.AmountMinor == transaction.AmountMinor
            ? previous.Extend(transaction.Timestamp)
            : ChargeSeries.Start(transaction.AmountMinor, transaction.Timestamp);
        var next = new RecurringChargeIncreaseState(series.SetItem(transaction.Merchant, current));

        var increasePercent = previous is null ? 0 : 100.0 * (transaction.AmountMinor - previous.AmountMinor) / previous.AmountMinor;
        if (!onCadence || previous!.ChargedAt.Count < settings.MinPreviousCharges || increasePercent <= settings.MinIncreasePercent)
            return Evaluation.Quiet(next);

        return Evaluation.Report(next, string.Create(CultureInfo.InvariantCulture,
            $"Your recurring charge from {transaction.Merchant} went up by {Money.Format(transaction.AmountMinor - previous.AmountMinor, transaction.Currency)} " +
            $"({increasePercent:0.#} %): {Money.Format(transaction.AmountMinor, transaction.Currency)} instead of {Money.Format(previous.AmountMinor, transaction.Currency)}."));
    }
}
