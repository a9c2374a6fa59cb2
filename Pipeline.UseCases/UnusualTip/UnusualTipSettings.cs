using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.UnusualTip;

/// <summary>Settings from <c>pipeline.use-cases.unusual-tip</c>.</summary>
/// <param name="Factor">A tip is unusual above this multiple of the customer's median tip percentage.</param>
/// <param name="MinHistory">Restaurant visits in the history window needed before anything is reported.</param>
/// <param name="MinTipPercent">Tips below this percentage of the bill are never reported.</param>
public sealed record UnusualTipSettings(double Factor, int MinHistory, double MinTipPercent)
{
    public static UnusualTipSettings Create(ConfigSection section) => new(
        section.GetDouble("factor", min: 1.0),
        section.GetInt("min-history", 1, 10_000),
        section.GetDouble("min-tip-percent", min: 0.0));
}
