using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.LargePurchase;

/// <summary>Settings from <c>pipeline.use-cases.large-purchase.variant-b</c>.</summary>
/// <param name="Sigmas">k in mean + k standard deviations.</param>
/// <param name="MinHistory">Purchases in the history window needed before anything is reported.</param>
public sealed record AdaptiveThresholdSettings(double Sigmas, int MinHistory)
{
    public static AdaptiveThresholdSettings Create(ConfigSection section) => new(
        section.GetDouble("sigmas", min: 0.0),
        section.GetInt("min-history", 2, 100_000));
}
