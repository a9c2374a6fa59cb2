using Pipeline.Core.Configuration;

namespace Pipeline.Core.Hosting;

/// <summary>How a failed stream is restarted: exponential backoff from <see cref="MinBackoff"/> to <see cref="MaxBackoff"/>, each wait stretched by up to <see cref="RandomFactor"/>.</summary>
public sealed record RestartSettings(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor)
{
    public static RestartSettings Create(ConfigSection section)
    {
        var settings = new RestartSettings(section.GetDuration("min-backoff"), section.GetDuration("max-backoff"), section.GetDouble("random-factor"));
        if (settings.MaxBackoff < settings.MinBackoff || settings.MinBackoff <= TimeSpan.Zero)
            throw new ConfigurationError(
                $"Settings '{section.Path}.min-backoff' ({settings.MinBackoff}) and '{section.Path}.max-backoff' ({settings.MaxBackoff}) must satisfy 0 < min <= max.");
        if (settings.RandomFactor is < 0 or > 1)
            throw new ConfigurationError($"Setting '{section.Path}.random-factor' = {settings.RandomFactor} must be between 0 and 1.");
        return settings;
    }

    /// <summary>The wait before restart number <paramref name="attempt"/> (1 = first restart).</summary>
    public TimeSpan Backoff(int attempt, Random random)
    {
        var exponential = MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + random.NextDouble() * RandomFactor));
    }
}
