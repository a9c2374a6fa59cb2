using Confluent.Kafka;

namespace Pipeline.Service.Bench;

/// <summary>
/// At-least-once bookkeeping of the plain client loop: per input partition, the offsets sent in consume
/// order and those whose output Kafka acknowledged. Only the longest acknowledged prefix is committable,
/// because a delivery report for a later record can arrive before an earlier record is acknowledged.
/// Written by the loop thread and librdkafka's delivery-report thread.
/// </summary>
internal sealed class InOrderOffsets
{
    private readonly object _gate = new();
    private readonly Dictionary<TopicPartition, Track> _partitions = new();
    private int _acknowledgedSinceTake;

    /// <summary>Acknowledgements since the last <see cref="TakeCommittable"/>.</summary>
    public int AcknowledgedSinceTake => Volatile.Read(ref _acknowledgedSinceTake);

    public void Sent(TopicPartitionOffset record)
    {
        lock (_gate)
        {
            if (!_partitions.TryGetValue(record.TopicPartition, out var track))
                _partitions[record.TopicPartition] = track = new Track();
            track.Sent.Enqueue(record.Offset.Value);
        }
    }

    public void Acknowledged(TopicPartitionOffset record)
    {
        lock (_gate)
        {
            _partitions[record.TopicPartition].Acknowledged.Add(record.Offset.Value);
            _acknowledgedSinceTake++;
        }
    }

    /// <summary>The next offset to commit for every partition whose acknowledged prefix grew since the last call.</summary>
    public List<TopicPartitionOffset> TakeCommittable()
    {
        var committable = new List<TopicPartitionOffset>();
        lock (_gate)
        {
            _acknowledgedSinceTake = 0;
            foreach (var (partition, track) in _partitions)
            {
                var last = -1L;
                while (track.Sent.TryPeek(out var offset) && track.Acknowledged.Remove(offset))
                    last = track.Sent.Dequeue();
                if (last >= 0)
                    committable.Add(new TopicPartitionOffset(partition, new Offset(last + 1)));
            }
        }
        return committable;
    }

    private sealed class Track
    {
        public Queue<long> Sent { get; } = new();
        public HashSet<long> Acknowledged { get; } = new();
    }
}
