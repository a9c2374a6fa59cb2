using Pipeline.Core.Configuration;

namespace Pipeline.Core.Configuration;

/// <summary>Readers for value kinds settings need beyond <see cref="ConfigSection"/>'s own.</summary>
public static class SettingReaders
{
    /// <summary>A non-negative amount in major units (e.g. <c>1000.00</c>), returned in minor units (cents).</summary>
    public static long GetAmountMinor(this ConfigSection section, string key)
    {
        var value = section.GetDouble(key);
        if (value < 0 || double.IsNaN(value) || value > long.MaxValue / 100.0)
            throw new ConfigurationError($"Setting '{section.Path}.{key}' = {value} is not an amount; use a non-negative number such as 1000.00.");
        return (long)Math.Round(value * 100);
    }

    /// <summary>A number at least <paramref name="min"/>.</summary>
    public static double GetDouble(this ConfigSection section, string key, double min)
    {
        var value = section.GetDouble(key);
        if (double.IsNaN(value) || value < min)
            throw new ConfigurationError($"Setting '{section.Path}.{key}' = {value} is too small; use a number of at least {min}.");
        return value;
    }

    /// <summary>A duration greater than zero.</summary>
    public static TimeSpan GetPositiveDuration(this ConfigSection section, string key)
    {
        var value = section.GetDuration(key);
        if (value <= TimeSpan.Zero)
            throw new ConfigurationError($"Setting '{section.Path}.{key}' = {value} must be longer than zero, e.g. 24h.");
        return value;
    }
}
