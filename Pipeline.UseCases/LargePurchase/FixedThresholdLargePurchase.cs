using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.LargePurchase;

/// <summary>
/// LargePurchase variant A: reports a purchase above the customer's own threshold (from their settings),
/// or above <see cref="FixedThresholdSettings.DefaultThresholdMinor"/> for customers who set none. Keeps no state.
/// </summary>
public sealed class FixedThresholdLargePurchase : UseCase<NoState, FixedThresholdSettings>
{
    public override string Name => LargePurchaseName.Value;

    public override string? TargetBehaviour => "large-purchase";

    public override string Variant => "A";

    public override NoState InitialState => NoState.Instance;

    public override FixedThresholdSettings ReadSettings(ConfigSection section) => FixedThresholdSettings.Create(section.Section("variant-a"));

    public override Evaluation<NoState> Evaluate(NoState state, CardTransaction transaction, FixedThresholdSettings settings, UseCaseContext context)
    {
        var threshold = context.Customer.LargePurchaseThresholdMinor ?? settings.DefaultThresholdMinor;
        if (transaction.AmountMinor <= threshold)
            return Evaluation.Quiet(state);

        return Evaluation.Report(state,
            $"Large purchase: {Money.Format(transaction.AmountMinor, transaction.Currency)} at {transaction.Merchant}, " +
            $"{Money.Format(transaction.AmountMinor - threshold, transaction.Currency)} over your limit for notifications of {Money.Format(threshold, transaction.Currency)}.");
    }
}
