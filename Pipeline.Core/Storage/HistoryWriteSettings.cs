using Pipeline.Core.Configuration;

namespace Pipeline.Core.Storage;

/// <summary>How the write flow batches and retries, from <c>pipeline.store.write</c>.</summary>
public sealed record HistoryWriteSettings(
    int MaxSize,
    TimeSpan MaxDelay,
    int Parallelism,
    TimeSpan MinBackoff,
    TimeSpan MaxBackoff,
    TimeSpan RetryDeadline)
{
    /// <summary>Reads the section strictly; every key is required and documented in config/pipeline.conf.</summary>
    public static HistoryWriteSettings Create(ConfigSection section)
    {
        var settings = new HistoryWriteSettings(
            section.GetInt("max-size", 1, 100_000),
            section.GetDuration("max-delay"),
            section.GetInt("parallelism", 1, 64),
            section.GetDuration("min-backoff"),
            section.GetDuration("max-backoff"),
            section.GetDuration("retry-deadline"));
        if (settings.MaxBackoff < settings.MinBackoff)
            throw new ConfigurationError(
                $"Setting '{section.Path}.max-backoff' ({settings.MaxBackoff}) is shorter than '{section.Path}.min-backoff' ({settings.MinBackoff}); make it at least as long.");
        return settings;
    }
}
