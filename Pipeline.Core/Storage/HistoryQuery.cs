namespace Pipeline.Core.Storage;

/// <summary>
/// The rows of one table for one customer with <c>From &lt;= event time &lt; To</c>, in event-time then id order.
/// A query names exactly one customer: the store never scans across customers.
/// </summary>
public sealed record HistoryQuery
{
    /// <summary>Creates a query; throws <see cref="ArgumentException"/> for an empty customer or a range ending before it starts.</summary>
    public HistoryQuery(HistoryTable table, string customerId, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        if (to < from)
            throw new ArgumentException($"The range ends ({to:O}) before it starts ({from:O}); pass from <= to.", nameof(to));
        Table = table;
        CustomerId = customerId;
        FromMillis = from.ToUnixTimeMilliseconds();
        ToMillis = to.ToUnixTimeMilliseconds();
    }

    /// <summary>Records or outputs.</summary>
    public HistoryTable Table { get; }

    /// <summary>The one customer whose partitions are read.</summary>
    public string CustomerId { get; }

    /// <summary>Inclusive start, Unix milliseconds.</summary>
    public long FromMillis { get; }

    /// <summary>Exclusive end, Unix milliseconds.</summary>
    public long ToMillis { get; }

    /// <summary>The first day bucket the range touches.</summary>
    public int FirstDay => DayBucket.Of(FromMillis);

    /// <summary>The last day bucket the range touches.</summary>
    public int LastDay => DayBucket.Of(Math.Max(FromMillis, ToMillis - 1));
}
