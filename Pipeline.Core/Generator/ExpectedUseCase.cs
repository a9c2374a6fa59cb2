namespace Pipeline.Core.Generator;

/// <summary>
/// The behaviours the generator injects, named exactly like the use cases that should report them,
/// so its ground truth can be compared with their feedback.
/// </summary>
public enum ExpectedUseCase
{
    DuplicateCharge,
    UnusualTip,
    RecurringChargeIncrease,
    LargePurchase
}
