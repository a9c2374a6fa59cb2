using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.DuplicateCharge;

/// <summary>
/// Reports a charge with the same merchant and amount as another charge of the customer within
/// <see cref="DuplicateChargeSettings.Window"/> (24 h by default; a charge exactly one window later still counts).
/// </summary>
public sealed class DuplicateChargeUseCase : UseCase<DuplicateChargeState, DuplicateChargeSettings>
{
    public override string Name => "DuplicateCharge";

    public override string? TargetBehaviour => "duplicate-charge";

    public override DuplicateChargeState InitialState => DuplicateChargeState.Empty;

    public override DuplicateChargeSettings ReadSettings(ConfigSection section) => DuplicateChargeSettings.Create(section);

    public override Evaluation<DuplicateChargeState> Evaluate(
        DuplicateChargeState state, CardTransaction transaction, DuplicateChargeSettings settings, UseCaseContext context)
    {
        // Only charges inside the window can be duplicated, so that is all the state keeps.
        var windowStart = transaction.Timestamp - settings.Window;
        var recent = state.RecentCharges.RemoveAll(c => c.Timestamp < windowStart);

        var earlier = recent.FirstOrDefault(c =>
            c.Merchant == transaction.Merchant && c.AmountMinor == transaction.AmountMinor && c.Currency == transaction.Currency);

        var next = new DuplicateChargeState(recent.Add(new RecentCharge(transaction.Merchant, transaction.AmountMinor, transaction.Currency, transaction.Timestamp)));
        if (earlier is null)
            return Evaluation.Quiet(next);

        var gap = transaction.Timestamp - earlier.Timestamp;
        return Evaluation.Report(next,
            $"Possible duplicate charge: {transaction.Merchant} charged {Money.Format(transaction.AmountMinor, transaction.Currency)} " +
            $"twice within {Describe(gap)}.");
    }

    private static string Describe(TimeSpan gap) => gap.TotalHours >= 1
        ? $"{(int)gap.TotalHours} h {gap.Minutes} min"
        : $"{Math.Max(1, (int)gap.TotalMinutes)} min";
}
