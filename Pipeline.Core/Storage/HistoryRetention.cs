namespace Pipeline.Core.Storage;

/// <summary>Applies the retention of <c>pipeline.store.retention</c> to a store.</summary>
public static class HistoryRetention
{
    /// <summary>
    /// Drops every day that ends before <c>now - retention</c>, in both tables, and returns the days dropped.
    /// Rows live at least <paramref name="retention"/> and less than one day longer.
    /// </summary>
    public static Task<IReadOnlyList<DateOnly>> ExpireAsync(this IHistoryStore store, DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken = default) =>
        store.DropDaysBeforeAsync(DayBucket.OldestKept(now, retention), cancellationToken);
}
