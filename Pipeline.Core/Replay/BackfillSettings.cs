using Pipeline.Core.Configuration;

namespace Pipeline.Core.Replay;

/// <summary>How <c>pipeline backfill</c> runs, from <c>pipeline.backfill</c> and the store's read page size.</summary>
/// <param name="ReadParallelism">Customer-days read from the history store at once; each customer's records still arrive in order.</param>
/// <param name="CustomersPageSize">Customers of a day read by one query.</param>
/// <param name="MetadataTimeout">How long reading the transactions topic's ends and committing the hand-over may take.</param>
public sealed record BackfillSettings(int ReadParallelism, int CustomersPageSize, TimeSpan MetadataTimeout)
{
    public static BackfillSettings Create(PipelineConfig config) => new(
        config.Section("pipeline.backfill").GetInt("read-parallelism", 1, 1024),
        config.Section("pipeline.store").GetInt("read-page-size", 1, 100_000),
        config.Section("pipeline.backfill").GetDuration("metadata-timeout"));
}
