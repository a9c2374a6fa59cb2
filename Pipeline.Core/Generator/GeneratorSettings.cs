using Pipeline.Core.Configuration;

namespace Pipeline.Core.Generator;

/// <summary>
/// Settings of the load generator, read from <c>pipeline.generator</c>. <see cref="Start"/> is the
/// first instant of the simulated timeline: record timestamps follow simulated time, not the wall clock.
/// </summary>
public sealed record GeneratorSettings(
    bool Enabled,
    int Rate,
    int Customers,
    int Seed,
    DateTimeOffset Start,
    double PurchasesPerDayMin,
    double PurchasesPerDayMax,
    TimeSpan WarmUp,
    int TipHabitVisits,
    InjectionProbabilities Injections)
{
    /// <summary>
    /// Reads the section. The timeline starts <c>start-before-now</c> before <paramref name="now"/>,
    /// rounded down to midnight UTC, so two runs on the same day with the same seed give identical records.
    /// </summary>
    public static GeneratorSettings Create(ConfigSection section, DateTimeOffset now)
    {
        var startBeforeNow = section.GetDuration("start-before-now");
        var start = now.ToUniversalTime() - startBeforeNow;
        var min = section.GetDouble("purchases-per-day-min");
        var max = section.GetDouble("purchases-per-day-max");
        if (min <= 0 || max < min)
            throw new ConfigurationError(
                $"Settings '{section.Path}.purchases-per-day-min' = {min} and '{section.Path}.purchases-per-day-max' = {max} " +
                "do not form a range; use 0 < min <= max, e.g. 1.5 and 3.0.");
        return new GeneratorSettings(
            section.GetBool("enabled"),
            section.GetInt("rate", 1, 1_000_000),
            section.GetInt("customers", 1, 10_000_000),
            section.GetInt("seed"),
            new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero),
            min,
            max,
            section.GetDuration("warm-up"),
            section.GetInt("tip-habit-visits", 1, 1000),
            InjectionProbabilities.Create(section.Section("injections")));
    }
}
