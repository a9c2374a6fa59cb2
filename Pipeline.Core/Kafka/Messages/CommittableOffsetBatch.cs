using System.Collections.Immutable;
using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Messages;

/// <summary>
/// The highest offset per partition (per consumer) of a run of committable offsets. Immutable; committing
/// it commits offset + 1 of each partition's highest record.
/// </summary>
internal sealed class CommittableOffsetBatch : ICommittable
{
    public static CommittableOffsetBatch Empty { get; } = new(ImmutableDictionary<(ICommitter, TopicPartition), long>.Empty, 0);

    private readonly ImmutableDictionary<(ICommitter Committer, TopicPartition Partition), long> _highest;

    private CommittableOffsetBatch(ImmutableDictionary<(ICommitter, TopicPartition), long> highest, long batchSize)
    {
        _highest = highest;
        BatchSize = batchSize;
    }

    public long BatchSize { get; }

    public bool IsEmpty => _highest.IsEmpty;

    internal IEnumerable<KeyValuePair<(ICommitter Committer, TopicPartition Partition), long>> Entries => _highest;

    /// <summary>The highest record offset per partition in this batch.</summary>
    public IReadOnlyDictionary<TopicPartition, long> Offsets =>
        _highest.ToDictionary(kv => kv.Key.Partition, kv => kv.Value);

    public CommittableOffsetBatch Updated(CommittableOffset offset)
    {
        var key = (offset.Committer, offset.Offset.TopicPartition);
        var value = offset.Offset.Offset.Value;
        var highest = _highest.TryGetValue(key, out var existing) && existing >= value ? _highest : _highest.SetItem(key, value);
        return new CommittableOffsetBatch(highest, BatchSize + 1);
    }

    /// <summary>A batch of highest offsets collected in a mutable map (the commit collector's hot path).</summary>
    internal static CommittableOffsetBatch From(Dictionary<(ICommitter, TopicPartition), long> highest, long batchSize) =>
        new(highest.ToImmutableDictionary(), batchSize);

    public Task CommitAsync()
    {
        if (_highest.IsEmpty)
            return Task.CompletedTask;
        var commits = _highest
            .GroupBy(kv => kv.Key.Committer)
            .Select(group => group.Key.CommitAsync(group
                .Select(kv => new TopicPartitionOffset(kv.Key.Partition, new Offset(kv.Value + 1)))
                .ToList()));
        return Task.WhenAll(commits);
    }

    public override string ToString() =>
        $"CommittableOffsetBatch({BatchSize} records: {string.Join(", ", _highest.Select(kv => $"{kv.Key.Partition}={kv.Value}"))})";
}
