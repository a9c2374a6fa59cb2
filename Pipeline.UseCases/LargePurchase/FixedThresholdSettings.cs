using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.LargePurchase;

/// <summary>Settings from <c>pipeline.use-cases.large-purchase.variant-a</c>.</summary>
/// <param name="DefaultThresholdMinor">Threshold for customers without their own, in minor units.</param>
public sealed record FixedThresholdSettings(long DefaultThresholdMinor)
{
    public static FixedThresholdSettings Create(ConfigSection section) => new(section.GetAmountMinor("default-threshold"));
}
