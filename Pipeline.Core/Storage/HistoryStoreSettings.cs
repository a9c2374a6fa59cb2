using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.Storage;

/// <summary>
/// Everything under <c>pipeline.store</c>: which provider, retention (counted back from the stream time), how often it is
/// applied and the largest share of the store's days one pass may drop, reads, writes, and each provider's own settings.
/// </summary>
public sealed record HistoryStoreSettings(
    StoreProvider Provider,
    TimeSpan Retention,
    TimeSpan RetentionCheckInterval,
    double RetentionMaxDropShare,
    int ReadPageSize,
    SqliteStoreSettings Sqlite,
    PostgreSqlStoreSettings PostgreSql,
    HistoryWriteSettings Write)
{
    /// <summary>Reads <c>pipeline.store</c> (and <c>pipeline.data-dir</c> for the SQLite files) from the layered configuration.</summary>
    public static HistoryStoreSettings Create(PipelineConfig config) =>
        Create(config.Section("pipeline.store"), config.Section("pipeline").GetString("data-dir"));

    /// <summary>Reads a store section strictly; SQLite paths are resolved against <paramref name="dataDir"/>.</summary>
    public static HistoryStoreSettings Create(ConfigSection section, string dataDir)
    {
        var retention = section.GetDuration("retention");
        if (retention < TimeSpan.FromDays(1))
            throw new ConfigurationError(
                $"Setting '{section.Path}.retention' = {retention} is shorter than one day, the store's unit of expiry; use 1d or more.");
        return new HistoryStoreSettings(
            section.GetEnum<StoreProvider>("provider"),
            retention,
            section.GetPositiveDuration("retention-check-interval"),
            MaxDropShare(section),
            section.GetInt("read-page-size", 1, 100_000),
            SqliteStoreSettings.Create(section.Section("sqlite"), dataDir),
            PostgreSqlStoreSettings.Create(section.Section("postgresql")),
            HistoryWriteSettings.Create(section.Section("write")));
    }

    private static double MaxDropShare(ConfigSection section)
    {
        var share = section.GetDouble("retention-max-drop-share");
        if (share is <= 0 or > 1 || double.IsNaN(share))
            throw new ConfigurationError(
                $"Setting '{section.Path}.retention-max-drop-share' = {share} must be a share of the store's days above 0 and at most 1 (1 allows any drop).");
        return share;
    }
}
