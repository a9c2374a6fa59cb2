namespace Pipeline.Core.Storage;

/// <summary>
/// The oldest and newest day buckets that hold records, found through the customers-by-day table (one small read per day),
/// for telling a user where the data is when a range they asked for holds none.
/// </summary>
public static class StoredDays
{
    /// <summary>The first and last day within <paramref name="from"/>..<paramref name="through"/> (day buckets) with records, or null when none has.</summary>
    public static async Task<(DateOnly Oldest, DateOnly Newest)?> FindAsync(IHistoryStore store, int from, int through, CancellationToken cancellationToken = default)
    {
        int? oldest = null;
        for (var day = from; day <= through && oldest is null; day++)
        {
            if ((await store.ReadCustomersAsync(day, null, 1, cancellationToken)).Count > 0)
                oldest = day;
        }
        if (oldest is not { } first)
            return null;
        for (var day = through; day >= first; day--)
        {
            if ((await store.ReadCustomersAsync(day, null, 1, cancellationToken)).Count > 0)
                return (DayBucket.Date(first), DayBucket.Date(day));
        }
        return (DayBucket.Date(first), DayBucket.Date(first));
    }
}
