using Confluent.Kafka;

namespace Pipeline.Service.Bench;

/// <summary>
/// Reads watermarks and committed offsets of the benchmark topics, the ground truth every variant's
/// counts are checked against.
/// </summary>
internal sealed class TopicInspector(string bootstrapServers, int partitions = KafkaBenchOptions.Partitions) : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly IConsumer<Ignore, Ignore> _consumer = new ConsumerBuilder<Ignore, Ignore>(
        new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "bench-inspector" }).Build();

    // One client per group asked about, kept so that polling committed offsets does not start a client each time.
    private readonly Dictionary<string, IConsumer<Ignore, Ignore>> _members = new();

    /// <summary>Low and high watermark of every partition, asked from the broker (not a cached value).</summary>
    public TopicCounts Watermarks(string topic)
    {
        var low = new long[partitions];
        var high = new long[partitions];
        for (var p = 0; p < partitions; p++)
        {
            var marks = _consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), RequestTimeout);
            low[p] = marks.Low.Value;
            high[p] = marks.High.Value;
        }
        return new TopicCounts(low, high);
    }

    /// <summary>The offsets <paramref name="groupId"/> committed on each partition of <paramref name="topic"/> (-1 where none).</summary>
    public long[] Committed(string topic, string groupId)
    {
        if (!_members.TryGetValue(groupId, out var member))
        {
            member = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = groupId }).Build();
            _members[groupId] = member;
        }
        var topicPartitions = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p));
        return member.Committed(topicPartitions, RequestTimeout)
            .OrderBy(o => o.Partition.Value)
            .Select(o => o.Offset == Offset.Unset ? -1 : o.Offset.Value)
            .ToArray();
    }

    public void Dispose()
    {
        foreach (var member in _members.Values)
            member.Dispose();
        _consumer.Dispose();
    }
}

/// <summary>Watermarks of one topic, per partition.</summary>
internal sealed record TopicCounts(long[] Low, long[] High)
{
    /// <summary>Records the broker still holds.</summary>
    public long Retained => High.Zip(Low, (h, l) => h - l).Sum();

    /// <summary>Records ever appended (the high watermarks).</summary>
    public long Appended => High.Sum();

    /// <summary>The broker dropped old records (its retention): counts from this topic cannot be trusted.</summary>
    public bool LostRecords => Low.Any(l => l > 0);
}
