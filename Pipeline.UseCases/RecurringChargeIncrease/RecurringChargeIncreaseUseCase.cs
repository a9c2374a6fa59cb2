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

    public override RecurringChargeIncreaseState InitialState => RecurringChargeIncreaseState.Empty;

    public override RecurringChargeIncreaseSettings ReadSettings(ConfigSection section) => RecurringChargeIncreaseSettings.Create(section);

    public override Evaluation<RecurringChargeIncreaseState> Evaluate(
        RecurringChargeIncreaseState state, CardTransaction transaction, RecurringChargeIncreaseSettings settings, UseCaseContext context)
    {
        var historyStart = context.HistoryStart(transaction);
        var series = state.SeriesByMerchant.RemoveRange(
            state.SeriesByMerchant.Where(s => s.Value.LastChargedAt < historyStart).Select(s => s.Key));

        series.TryGetValue(transaction.Merchant, out var previous);
        var onCadence = previous is not null
            && (transaction.Timestamp - previous.LastChargedAt - settings.Cadence).Duration() <= settings.CadenceTolerance;

        var current = onCadence && previous!.AmountMinor == transaction.AmountMinor
            ? previous with { LastChargedAt = transaction.Timestamp, ChargesAtAmount = previous.ChargesAtAmount + 1 }
            : new ChargeSeries(transaction.AmountMinor, transaction.Timestamp, ChargesAtAmount: 1);
        var next = new RecurringChargeIncreaseState(series.SetItem(transaction.Merchant, current));

        var increasePercent = previous is null ? 0 : 100.0 * (transaction.AmountMinor - previous.AmountMinor) / previous.AmountMinor;
        if (!onCadence || previous!.ChargesAtAmount < settings.MinPreviousCharges || increasePercent <= settings.MinIncreasePercent)
            return Evaluation.Quiet(next);

        return Evaluation.Report(next,
            $"Your recurring charge from {transaction.Merchant} went up by {increasePercent:0.#} %: " +
            $"{Money.Format(transaction.AmountMinor, transaction.Currency)} instead of {Money.Format(previous.AmountMinor, transaction.Currency)}.");
    }
}
