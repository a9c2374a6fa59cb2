using Confluent.Kafka;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.Replay;

/// <summary>
/// Where a backfilled use case's live stream takes over: the end offsets of the transactions topic noted before the backfill
/// reads the history, committed for the use case's consumer group (see <see cref="HistoryBackfill"/> for why that leaves no gap).
/// </summary>
/// <param name="CommittedNow">True when this backfill committed <see cref="Offsets"/>; false when the group had committed offsets already.</param>
/// <param name="Offsets">Where the live stream starts (or resumes) per partition.</param>
public sealed record BackfillHandOver(bool CommittedNow, IReadOnlyDictionary<TopicPartition, long> Offsets)
{
    /// <summary>
    /// Commits the partitions' end offsets for the group of <paramref name="consumer"/> unless it has committed offsets already
    /// (the use case ran before: its live stream resumes from its own commits, and what the backfill evaluates again is
    /// de-duplicated downstream). Run it while no member of the group is running.
    /// </summary>
    public static BackfillHandOver Commit(ConsumerSettings consumer, IReadOnlyList<PartitionEnd> ends, TimeSpan timeout)
    {
        using var client = new ConsumerBuilder<Ignore, Ignore>(consumer.ToConsumerConfig()).Build();
        var committed = client.Committed(ends.Select(e => e.Partition), timeout);
        if (committed.Any(c => c.Offset.Value >= 0))
            return new BackfillHandOver(false, committed.Where(c => c.Offset.Value >= 0).ToDictionary(c => c.TopicPartition, c => c.Offset.Value));
        var offsets = ends.ToDictionary(e => e.Partition, e => e.High);
        client.Commit(offsets.Select(o => new TopicPartitionOffset(o.Key, o.Value)));
        return new BackfillHandOver(true, offsets);
    }
}
