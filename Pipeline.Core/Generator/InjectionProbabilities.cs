using Pipeline.Core.Configuration;

namespace Pipeline.Core.Generator;

/// <summary>How often the generator injects each behaviour a use case should find (<c>pipeline.generator.injections</c>).</summary>
/// <param name="DuplicateCharge">Chance that an ordinary grocery, retail or fuel purchase is charged a second time within hours.</param>
/// <param name="UnusualTip">Chance that a restaurant visit of a customer with a tipping habit carries an unusually high tip.</param>
/// <param name="PriceIncrease">Chance that a subscription charge, after two at the same price, comes at a higher price.</param>
/// <param name="LargePurchase">Chance that a purchase of an established customer is a large electronics or travel purchase.</param>
public sealed record InjectionProbabilities(double DuplicateCharge, double UnusualTip, double PriceIncrease, double LargePurchase)
{
    public static InjectionProbabilities Create(ConfigSection section) => new(
        Probability(section, "duplicate-charge"),
        Probability(section, "unusual-tip"),
        Probability(section, "price-increase"),
        Probability(section, "large-purchase"));

    private static double Probability(ConfigSection section, string key)
    {
        var value = section.GetDouble(key);
        if (value is < 0 or > 1)
            throw new ConfigurationError($"Setting '{section.Path}.{key}' = {value} is not a probability; use a value from 0 to 1.");
        return value;
    }
}
