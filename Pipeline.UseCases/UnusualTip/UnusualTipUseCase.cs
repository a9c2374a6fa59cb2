using System.Globalization;
using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.UnusualTip;

/// <summary>
/// Reports a restaurant tip (as a percentage of the bill) that is more than <see cref="UnusualTipSettings.Factor"/>
/// times the customer's usual tip: the median of their restaurant tips over the history window, once there
/// are at least <see cref="UnusualTipSettings.MinHistory"/> of them. Tips below
/// <see cref="UnusualTipSettings.MinTipPercent"/> are never reported, however low the usual tip is.
/// </summary>
public sealed class UnusualTipUseCase : UseCase<UnusualTipState, UnusualTipSettings>
{
    public override string Name => "UnusualTip";

    public override string? TargetBehaviour => "unusual-tip";

    public override UnusualTipState InitialState => UnusualTipState.Empty;

    public override UnusualTipSettings ReadSettings(ConfigSection section) => UnusualTipSettings.Create(section);

    public override Evaluation<UnusualTipState> Evaluate(
        UnusualTipState state, CardTransaction transaction, UnusualTipSettings settings, UseCaseContext context)
    {
        if (transaction.Category != Categories.Restaurant || transaction.AmountMinor <= 0)
            return Evaluation.Quiet(state);

        var history = TimeOrderedWindow.Since(state.Tips, t => t.Timestamp, context.HistoryStart(transaction));
        var tipPercent = 100.0 * transaction.TipMinor / transaction.AmountMinor;
        var next = new UnusualTipState(TimeOrderedWindow.Insert(history, new TipRecord(transaction.Timestamp, tipPercent), t => t.Timestamp));

        if (history.Count < settings.MinHistory)
            return Evaluation.Quiet(next);

        var usual = Median(history.Select(t => t.Percent));
        if (tipPercent < settings.MinTipPercent || tipPercent <= settings.Factor * usual)
            return Evaluation.Quiet(next);

        var compared = usual > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{tipPercent / usual:0.#} times the {usual:0.#} % you usually tip")
            : "you usually tip nothing";
        return Evaluation.Report(next, string.Create(CultureInfo.InvariantCulture,
            $"Unusually high tip at {transaction.Merchant}: {Money.Format(transaction.TipMinor, transaction.Currency)} ({tipPercent:0.#} % of the bill, {compared})."));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
