using Confluent.Kafka;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// Where a replay ends: at each partition's end offset noted when it started (it catches up to then, not to records
/// produced while it runs), and at <see cref="Until"/> (a record with a later Kafka timestamp ends its partition).
/// </summary>
/// <param name="Until">The last Kafka timestamp replayed, inclusive; null: no time limit.</param>
/// <param name="EndOffsets">Per partition, the first offset not replayed (the high watermark when the replay started).</param>
public sealed record ReplayBounds(DateTimeOffset? Until, IReadOnlyDictionary<TopicPartition, long> EndOffsets)
{
    /// <summary>Whether the record at this position is replayed. A partition not known at the start has nothing to replay.</summary>
    public bool Contains(TopicPartition partition, long offset, Timestamp timestamp) =>
        offset < EndOffsets.GetValueOrDefault(partition) && !IsPastUntil(timestamp);

    /// <summary>Whether a record's timestamp lies after <see cref="Until"/>.</summary>
    public bool IsPastUntil(Timestamp timestamp) => Until is { } until && timestamp.UtcDateTime > until.UtcDateTime;
}
