using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.UseCases.RecurringChargeIncrease;

/// <summary>Settings from <c>pipeline.use-cases.recurring-charge-increase</c>.</summary>
/// <param name="Cadence">The time between two charges of a recurring payment (a month).</param>
/// <param name="CadenceTolerance">How far a charge may be from exactly one cadence after the previous one.</param>
/// <param name="MinPreviousCharges">Equal charges on cadence needed before the payment counts as recurring.</param>
/// <param name="MinIncreasePercent">Increases up to this percentage are not reported.</param>
public sealed record RecurringChargeIncreaseSettings(TimeSpan Cadence, TimeSpan CadenceTolerance, int MinPreviousCharges, double MinIncreasePercent)
{
    public static RecurringChargeIncreaseSettings Create(ConfigSection section)
    {
        var settings = new RecurringChargeIncreaseSettings(
            section.GetPositiveDuration("cadence"),
            section.GetPositiveDuration("cadence-tolerance"),
            section.GetInt("min-previous-charges", 1, 100),
            section.GetDouble("min-increase-percent", min: 0.0));
        if (settings.CadenceTolerance >= settings.Cadence)
            throw new ConfigurationError(
                $"Setting '{section.Path}.cadence-tolerance' ({settings.CadenceTolerance}) must be shorter than '{section.Path}.cadence' ({settings.Cadence}).");
        return settings;
    }
}
