namespace Pipeline.Core.Generator;

/// <summary>The few distributions the generator draws from, on a seeded <see cref="Random"/>.</summary>
internal static class RandomExtensions
{
    public static double Uniform(this Random random, double min, double max) => min + random.NextDouble() * (max - min);

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>A standard normal value (Box-Muller).</summary>
    public static double Gaussian(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An exponentially distributed waiting time with the given mean.</summary>
    public static TimeSpan Exponential(this Random random, TimeSpan mean) =>
        TimeSpan.FromTicks((long)(-Math.Log(1.0 - random.NextDouble()) * mean.Ticks));

    /// <summary>Distinct items drawn without replacement.</summary>
    public static IReadOnlyList<T> Sample<T>(this Random random, IReadOnlyList<T> items, int count) =>
        items.OrderBy(_ => random.Next()).Take(Math.Min(count, items.Count)).ToArray();
}
