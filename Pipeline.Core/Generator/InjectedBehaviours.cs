namespace Pipeline.Core.Generator;

/// <summary>
/// The behaviours the generator injects into its synthetic customers, by key. A use case that should find one names it
/// in <c>TargetBehaviour</c>; the generator's ground truth marks each injected record with its key, so precision and
/// recall compare the two. A use case whose target is not in <see cref="All"/> (or null) is measured without them.
/// </summary>
public static class InjectedBehaviours
{
    public const string DuplicateCharge = "duplicate-charge";
    public const string UnusualTip = "unusual-tip";
    public const string RecurringChargeIncrease = "recurring-charge-increase";
    public const string LargePurchase = "large-purchase";

    /// <summary>Every behaviour the generator can inject.</summary>
    public static readonly IReadOnlyList<string> All = [DuplicateCharge, UnusualTip, RecurringChargeIncrease, LargePurchase];

    /// <summary>Whether the generator injects <paramref name="behaviour"/>, so its ground truth can judge a use case targeting it.</summary>
    public static bool IsInjected(string? behaviour) => behaviour is not null && All.Contains(behaviour);
}
