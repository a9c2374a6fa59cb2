using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Internal;

/// <summary>
/// One assignment of one partition to this consumer: a new instance per assignment, so records left in
/// buffers from an earlier assignment are recognised as stale and never emitted or committed.
/// Written by the poll thread, the stage and the committer, hence the volatile fields.
/// </summary>
internal sealed class PartitionState<T>(TopicPartition partition, RecordQueue<T> queue)
{
    private long _lastEmitted = -1;
    private long _committed = -1;
    private int _buffered;
    private volatile bool _owned = true;
    private volatile bool _revoking;
    private volatile bool _paused;

    public TopicPartition Partition { get; } = partition;

    public RecordQueue<T> Queue { get; } = queue;

    /// <summary>Assigned and not being revoked: its records may be emitted.</summary>
    public bool IsLive => _owned && !_revoking;

    /// <summary>Still assigned (also while the revocation handler runs): its offsets may be committed.</summary>
    public bool IsOwned => _owned;

    /// <summary>Paused at the broker because the buffer is full (written under the pump's pause lock, read without it by the stream).</summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    /// <summary>When the buffer became full while not paused (poll thread only).</summary>
    public DateTime? FullSince { get; set; }

    public long LastEmitted => Volatile.Read(ref _lastEmitted);

    /// <summary>The next offset committed for this partition by this consumer, -1 before the first commit.</summary>
    public long Committed => Volatile.Read(ref _committed);

    public int Buffered => Volatile.Read(ref _buffered);

    public int AddBuffered() => Interlocked.Increment(ref _buffered);

    public int RemoveBuffered() => Interlocked.Decrement(ref _buffered);

    public void MarkEmitted(long offset) => Volatile.Write(ref _lastEmitted, offset);

    public void MarkCommitted(long nextOffset)
    {
        long current;
        do
        {
            current = Volatile.Read(ref _committed);
            if (current >= nextOffset)
                return;
        } while (Interlocked.CompareExchange(ref _committed, nextOffset, current) != current);
    }

    /// <summary>Everything emitted from this assignment has been committed.</summary>
    public bool EmittedAllCommitted => LastEmitted < 0 || Committed > LastEmitted;

    public void BeginRevoke() => _revoking = true;

    public void Release() => _owned = false;
}
