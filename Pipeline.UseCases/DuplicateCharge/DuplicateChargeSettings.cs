using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.DuplicateCharge;

/// <summary>Settings from <c>pipeline.use-cases.duplicate-charge</c>.</summary>
/// <param name="Window">Two equal charges at most this far apart are reported.</param>
public sealed record DuplicateChargeSettings(TimeSpan Window)
{
    public static DuplicateChargeSettings Create(ConfigSection section) => new(section.GetPositiveDuration("window"));
}
