namespace Pipeline.Core.Storage;

/// <summary>
/// One row of history. Partition key: (<see cref="CustomerId"/>, day of <see cref="EventTime"/>);
/// clustering: <see cref="EventTime"/> then <see cref="Id"/>. Writing the same key twice keeps one row.
/// The payload is the record's Avro bytes, which the store never interprets.
/// </summary>
public sealed record HistoryRow
{
    /// <summary>Creates a row; throws <see cref="ArgumentException"/> when a key part is empty.</summary>
    public HistoryRow(HistoryTable table, string customerId, DateTimeOffset eventTime, string id, string kind, byte[] payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(payload);
        Table = table;
        CustomerId = customerId;
        // The store keeps millisecond precision (Avro timestamp-millis), so the row says so from the start.
        EventTimeMillis = eventTime.ToUnixTimeMilliseconds();
        Id = id;
        Kind = kind;
        Payload = payload;
    }

    /// <summary>Records or outputs.</summary>
    public HistoryTable Table { get; }

    /// <summary>The customer the row belongs to; the first part of the partition key.</summary>
    public string CustomerId { get; }

    /// <summary>When the event happened, in Unix milliseconds.</summary>
    public long EventTimeMillis { get; }

    /// <summary>When the event happened.</summary>
    public DateTimeOffset EventTime => DateTimeOffset.FromUnixTimeMilliseconds(EventTimeMillis);

    /// <summary>The day bucket, the second part of the partition key.</summary>
    public int Day => DayBucket.Of(EventTimeMillis);

    /// <summary>The record id or the feedback id; deterministic, so a replay writes the same key.</summary>
    public string Id { get; }

    /// <summary>The record type for records, the use case for outputs.</summary>
    public string Kind { get; }

    /// <summary>The Avro bytes of the record or output.</summary>
    public byte[] Payload { get; }

    /// <summary>The position of this row in its partition, for paging.</summary>
    public HistoryCursor Cursor => new(EventTimeMillis, Id);

    /// <inheritdoc />
    public bool Equals(HistoryRow? other) =>
        other is not null && Table == other.Table && CustomerId == other.CustomerId && EventTimeMillis == other.EventTimeMillis &&
        Id == other.Id && Kind == other.Kind && Payload.AsSpan().SequenceEqual(other.Payload);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Table, CustomerId, EventTimeMillis, Id);
}
