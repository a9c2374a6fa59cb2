namespace Pipeline.Core.Storage;

/// <summary>
/// The history of records and use-case outputs, laid out like a Cassandra table: partitioned by
/// (customer id, day), clustered by event time then id. Writes are idempotent by key, reads stay
/// inside one customer's day buckets, and retention drops whole days.
/// </summary>
public interface IHistoryStore : IAsyncDisposable
{
    /// <summary>Names the store and where it is (provider, file or host), without secrets, for errors and logs.</summary>
    string Description { get; }

    /// <summary>Creates or migrates the schema; safe to call again and from several processes.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a batch in one transaction: when the task completes every row is durable. A row whose key
    /// (table, customer, event time, id) already exists is left as it is, so replays are harmless. The rows whose key
    /// was already stored with a different kind or payload come back as conflicts (none for exact repeats): the write
    /// meets the stored row anyway, so only those few rows cost a second look.
    /// </summary>
    Task<IReadOnlyList<HistoryConflict>> AppendAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Reads at most <paramref name="pageSize"/> rows of the query strictly after <paramref name="after"/>.</summary>
    Task<HistoryPage> ReadPageAsync(HistoryQuery query, HistoryCursor? after, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// The customers with records in day bucket <paramref name="day"/>, in id order, strictly after <paramref name="after"/>, at
    /// most <paramref name="limit"/>: one partition of the customers-by-day table that every write of records keeps (the way a
    /// Cassandra layout lists the partitions of a day, which the records table keyed by customer cannot do without a scan).
    /// </summary>
    Task<IReadOnlyList<string>> ReadCustomersAsync(int day, string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops every day bucket older than <paramref name="oldestKeptDay"/> in every table (records, outputs, customers by day),
    /// and returns the days that held data and were dropped, with the rows of records and outputs each held.
    /// </summary>
    Task<IReadOnlyList<DroppedDay>> DropDaysBeforeAsync(int oldestKeptDay, CancellationToken cancellationToken = default);

    /// <summary>The day buckets holding records, oldest first (what a retention pass weighs a drop against).</summary>
    Task<IReadOnlyList<int>> ReadRecordDaysAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest event time of the records the store holds, or null when it holds none.</summary>
    Task<DateTimeOffset?> ReadNewestRecordTimeAsync(CancellationToken cancellationToken = default);
}
